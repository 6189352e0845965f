import type { DbOrTx } from "../client.ts";
import { eq, sql } from "../drizzle.ts";
import { callLogs } from "../schema/index.ts";

export type CallLogProjection = Omit<typeof callLogs.$inferInsert, "createdAt" | "updatedAt">;

/** Insert or refresh the call's row in AuditorIA's call_logs, keyed by call_id. */
export async function upsertCallLog(tx: DbOrTx, row: CallLogProjection): Promise<void> {
  const { fileName: _keepKey, ...updatable } = row;
  await tx
    .insert(callLogs)
    .values(row)
    .onConflictDoUpdate({
      target: callLogs.callId,
      set: {
        ...updatable,
        // The provisional file name is replaced once, when the recording is stored.
        fileName: sql`case when ${callLogs.fileName} like 'pending\\_%' then excluded.file_name else ${callLogs.fileName} end`,
        updatedAt: new Date(),
      },
    });
}

export async function findCallLog(tx: DbOrTx, callId: string) {
  const [row] = await tx.select().from(callLogs).where(eq(callLogs.callId, callId));
  return row ?? null;
}
