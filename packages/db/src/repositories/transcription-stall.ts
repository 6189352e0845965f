import type { DbOrTx } from "../client.ts";
import { sql } from "../drizzle.ts";

export interface TranscriptionStall {
  /** Tasks we created that AuditorIA has left `pending` for longer than the threshold. */
  stalled: number;
  /** Age in seconds of the oldest task of ours still pending (0 when none is). */
  oldestPendingSeconds: number;
}

/**
 * AuditorIA's workers are not ours; a growing pile of our tasks still `pending` is how we see them stop.
 * tasks.created_at has no time zone and is filled by the database, so it is compared with localtimestamp.
 */
export async function transcriptionStall(db: DbOrTx, stallAfterSeconds: number): Promise<TranscriptionStall> {
  const [row] = await db.execute<{ stalled: number; oldest: number | null }>(sql`
    select
      count(*) filter (where t.created_at < localtimestamp - ${stallAfterSeconds}::float8 * interval '1 second')::int as stalled,
      extract(epoch from localtimestamp - min(t.created_at))::float8 as oldest
    from tasks t
    join anura_calls c on c.task_uuid = t.uuid
    where t.status = 'pending'`);
  return { stalled: row?.stalled ?? 0, oldestPendingSeconds: Math.max(0, row?.oldest ?? 0) };
}
