import type { DbOrTx } from "../client.ts";
import { eq } from "../drizzle.ts";
import { callLogs } from "../schema/index.ts";

export async function findCallLog(tx: DbOrTx, callId: string) {
  const [row] = await tx.select().from(callLogs).where(eq(callLogs.callId, callId));
  return row ?? null;
}
