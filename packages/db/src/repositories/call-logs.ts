import type { DbOrTx } from "../client.ts";
import { eq } from "../drizzle.ts";
import { callLogs } from "../schema/index.ts";

export async function findCallLog(tx: DbOrTx, callId: string) {
  const [row] = await tx.select().from(callLogs).where(eq(callLogs.callId, callId));
  return row ?? null;
}

/** Point the call's log at its stored recording (replacing the provisional file name). */
export async function setCallLogRecording(tx: DbOrTx, callId: string, fileName: string, url: string): Promise<void> {
  await tx.update(callLogs).set({ fileName, url, updatedAt: new Date() }).where(eq(callLogs.callId, callId));
}
