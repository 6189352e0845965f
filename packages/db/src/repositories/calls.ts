import type { Db, DbOrTx } from "../client.ts";
import { and, eq, isNotNull, isNull, sql } from "../drizzle.ts";
import { anuraCalls } from "../schema/index.ts";
import { callLogRecordingStep } from "./call-logs.ts";
import type { NewTask } from "./tasks.ts";

/** Serialises all work on one call until the transaction ends, across processes. */
export async function lockCall(tx: DbOrTx, cdrid: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${cdrid}, 0))`);
}

/** An anura_calls row as the app reads it: findCall, every save of a merge, the worker's jobs, dashboard and CLI. */
export type StoredCall = typeof anuraCalls.$inferSelect;

export async function findCall(tx: DbOrTx, cdrid: string): Promise<StoredCall | null> {
  const [row] = await tx.select().from(anuraCalls).where(eq(anuraCalls.cdrid, cdrid));
  return row ?? null;
}

export async function markRecordingStored(
  tx: DbOrTx,
  cdrid: string,
  recording: { key: string; fileName: string; bytes: number; sha256: string; duration: number | null },
): Promise<StoredCall | null> {
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

export interface StoredRecording {
  key: string;
  fileName: string;
  bytes: number;
  sha256: string;
  duration: number | null;
}

/**
 * In one round trip (the call's lock, then one statement): under the call's lock, record the
 * stored recording on the call and its call log and, when the call is mapped, create its pending
 * task and note it on the call. `task` is the row to insert. Returns null when the call is unmapped
 * (or gone), else whether the task was created (false: it already existed).
 */
export async function recordStoredRecording(
  db: Db,
  cdrid: string,
  recording: StoredRecording,
  task: NewTask & { uuid: string },
): Promise<boolean | null> {
  const sql = db.$client;
  const { key, fileName, bytes, sha256, duration } = recording;
  // The call's lock first, in a statement of its own: the next one's snapshot then sees what a merge
  // holding the lock committed meanwhile (its call log above all). Both go in one round trip. Every
  // writer of a call takes the lock before the row (README, Performance). now() is the transaction's,
  // as is the task's created_at default: a timeline orders the two right.
  const [, rows] = await sql.begin((tx) => [
    tx`select pg_advisory_xact_lock(hashtextextended(${cdrid}, 0))`,
    tx<{ mapped: boolean; created: number }[]>`
    with stored as (
      update anura_calls set recording_key = ${key}, recording_file_name = ${fileName}, recording_bytes = ${bytes},
        recording_sha256 = ${sha256}, recording_duration = ${duration}, recording_stored_at = now(), updated_at = now(),
        task_uuid = case when unmapped_reason is null then coalesce(task_uuid, ${task.uuid}) else task_uuid end
      where cdrid = ${cdrid}
      returning cdrid, recording_file_name, recording_key, unmapped_reason, task_uuid),
    ${callLogRecordingStep(tx)},
    created as (
      insert into tasks (uuid, status, file_name, url, audio_duration, language, task_type, task_params)
      select ${task.uuid}, ${task.status ?? null}, ${task.fileName ?? null}, ${task.url ?? null}, ${task.audioDuration ?? null},
        ${task.language ?? null}, ${task.taskType ?? null}, ${JSON.stringify(task.taskParams ?? null)}::json
      from stored where unmapped_reason is null and task_uuid = ${task.uuid}
      on conflict (uuid) do nothing returning 1)
    select unmapped_reason is null as mapped, (select count(*) from created)::int as created from stored`,
  ]);
  const [row] = rows;
  if (!row?.mapped) return null;
  return row.created > 0;
}
