import type { DbOrTx } from "../client.ts";
import { and, eq, isNotNull, isNull, sql } from "../drizzle.ts";
import { anuraCalls } from "../schema/index.ts";

/** Serialises all work on one call until the transaction ends, across processes. */
export async function lockCall(tx: DbOrTx, cdrid: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${cdrid}, 0))`);
}

export async function findCall(tx: DbOrTx, cdrid: string) {
  const [row] = await tx.select().from(anuraCalls).where(eq(anuraCalls.cdrid, cdrid));
  return row ?? null;
}

export type CallRow = typeof anuraCalls.$inferSelect;

export async function markRecordingStored(
  tx: DbOrTx,
  cdrid: string,
  recording: { key: string; fileName: string; bytes: number; sha256: string; duration: number | null },
): Promise<CallRow | null> {
  const [row] = await tx
    .update(anuraCalls)
    .set({
      recordingKey: recording.key,
      recordingFileName: recording.fileName,
      recordingBytes: recording.bytes,
      recordingSha256: recording.sha256,
      recordingDuration: recording.duration,
      // The database's clock, as the task created in the same transaction gets: a timeline orders them right.
      recordingStoredAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(anuraCalls.cdrid, cdrid))
    .returning();
  return row ?? null;
}

export async function markTaskCreated(tx: DbOrTx, cdrid: string, taskUuid: string): Promise<void> {
  await tx.update(anuraCalls).set({ taskUuid, updatedAt: new Date() }).where(eq(anuraCalls.cdrid, cdrid));
}

/** A call AuditorIA cannot take yet: no campaign or operator, and so no task. */
export const isUnmappedCall = and(isNotNull(anuraCalls.unmappedReason), isNull(anuraCalls.taskUuid));

export function unmappedCalls(tx: DbOrTx, limit = 1000) {
  return tx
    .select({ cdrid: anuraCalls.cdrid, unmappedReason: anuraCalls.unmappedReason })
    .from(anuraCalls)
    .where(isUnmappedCall)
    .limit(limit);
}
