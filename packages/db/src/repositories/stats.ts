import type { DbOrTx } from "../client.ts";
import { count, sql } from "../drizzle.ts";
import { anuraCalls } from "../schema/index.ts";
import { isUnmappedCall } from "./calls.ts";

/** What arrived and what was handed to AuditorIA since `since`. */
export async function activitySince(db: DbOrTx, sinceDate: Date) {
  const since = sinceDate.toISOString(); // raw SQL parameters go to postgres.js as text
  const byTrigger = await db.execute<{ trigger: string; count: number }>(
    sql`select trigger, count(*)::int as count from anura_events where received_at >= ${since} group by trigger order by trigger`,
  );
  const [totals] = await db.execute<{ recordings: number; tasks: number; unmapped: number; stale: number }>(sql`
    select
      (select count(*)::int from anura_calls where recording_stored_at >= ${since}) as recordings,
      (select count(*)::int from anura_calls where task_uuid is not null and updated_at >= ${since}) as tasks,
      (select count(*)::int from anura_calls where ${isUnmappedCall}) as unmapped,
      (select count(*)::int from anura_calls where stale_at is not null) as stale`);
  return {
    eventsByTrigger: Object.fromEntries(byTrigger.map((row) => [row.trigger, row.count])),
    eventsTotal: byTrigger.reduce((sum, row) => sum + row.count, 0),
    recordingsStored: totals?.recordings ?? 0,
    tasksCreated: totals?.tasks ?? 0,
    unmappedCalls: totals?.unmapped ?? 0,
    staleCalls: totals?.stale ?? 0,
  };
}

export async function countUnmappedCalls(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(anuraCalls).where(isUnmappedCall);
  return row?.n ?? 0;
}
