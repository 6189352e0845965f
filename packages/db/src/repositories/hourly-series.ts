import type { Db, DbOrTx } from "../client.ts";
import { type SQL, sql } from "../drizzle.ts";
import type { HourCount, HourLatency, HourlyRows } from "../schema/index.ts";

export type { HourCount, HourLatency, HourlyRows } from "../schema/index.ts";

/** Hours from `since` (inclusive) up to `until` (exclusive; open when omitted, to take in the hour still running). */
export type HourRange = { since: Date; until?: Date };

/** Start of the UTC hour as epoch ms: cut in UTC whatever the session's time zone, so every chart shares one axis. */
export const hourOf = (at: SQL) => sql`(extract(epoch from date_trunc('hour', ${at}, 'UTC')) * 1000)::float8`;

// tasks.created_at has no time zone (AuditorIA's column): read it as the session's local time.
const TASK_CREATED = sql.raw("(t.created_at at time zone current_setting('TimeZone'))");
const asTaskTime = (at: Date) => sql`(${at.toISOString()}::timestamptz at time zone current_setting('TimeZone'))`;
const asTime = (at: Date) => sql`${at.toISOString()}`;
/** `column` in `range`, its bounds written by `bound`. */
const within = (column: SQL, { since, until }: HourRange, bound = asTime) =>
  sql`${column} >= ${bound(since)}${until ? sql` and ${column} < ${bound(until)}` : sql``}`;
// The bounds on the bare column, so the planner estimates the filter from its statistics (and can use its index).
const taskCreatedIn = (range: HourRange) => within(sql`t.created_at`, range, asTaskTime);

/**
 * Run the chart queries with JIT off: on a few hundred thousand rows Postgres chose to compile
 * them, which took seconds while the queries themselves take milliseconds.
 */
export function withoutJit<T>(db: Db, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return work(tx);
  });
}

/** Every Postgres-backed chart's rows for `range`, read in one transaction. */
export function hourlyRows(db: Db, range: HourRange): Promise<HourlyRows> {
  return withoutJit(db, (tx) => readHourlyRows(tx, range));
}

/** The same, in a transaction of the caller's (which set jit off). */
export async function readHourlyRows(tx: DbOrTx, range: HourRange): Promise<HourlyRows> {
  return {
    events: [...(await eventsPerHour(tx, range))],
    stored: [...(await recordingsStoredPerHour(tx, range))],
    latency: await endToTaskLatencyPerHour(tx, range),
    tasks: [...(await tasksPerHourByStatus(tx, range))],
  };
}

/** Webhook events received per hour and trigger. */
export function eventsPerHour(db: DbOrTx, range: HourRange) {
  return db.execute<HourCount>(sql`
    select ${hourOf(sql`received_at`)} as hour, trigger as key, count(*)::int as count
    from anura_events where ${within(sql`received_at`, range)}
    group by 1, 2 order by 1, 2`);
}

/** Recordings that reached the bucket, per hour. */
export function recordingsStoredPerHour(db: DbOrTx, range: HourRange) {
  return db.execute<HourCount>(sql`
    select ${hourOf(sql`recording_stored_at`)} as hour, 'stored' as key, count(*)::int as count
    from anura_calls where ${within(sql`recording_stored_at`, range)}
    group by 1 order by 1`);
}

/** Tasks we created, per hour of creation, by their current AuditorIA status. */
export function tasksPerHourByStatus(db: DbOrTx, range: HourRange) {
  return db.execute<HourCount>(sql`
    select ${hourOf(TASK_CREATED)} as hour, coalesce(t.status, 'none') as key, count(*)::int as count
    from tasks t
    where t.task_params->>'source' = 'anura' and ${taskCreatedIn(range)}
    group by 1, 2 order by 1, 2`);
}

/** From Anura's first END to our task, per hour of task creation: median and 95th percentile. */
export async function endToTaskLatencyPerHour(db: DbOrTx, range: HourRange): Promise<HourLatency[]> {
  const rows = await db.execute<{ hour: number; p50: number; p95: number; calls: number }>(sql`
    with latencies as (
      select ${hourOf(TASK_CREATED)} as hour, (extract(epoch from ${TASK_CREATED} - ended.at) * 1000)::float8 as ms
      from tasks t
      join anura_calls c on c.task_uuid = t.uuid
      cross join lateral (
        select min(e.received_at) as at from anura_events e where e.cdrid = c.cdrid and e.trigger = 'END'
      ) ended
      where t.task_params->>'source' = 'anura' and ${taskCreatedIn(range)} and ended.at is not null
    )
    select hour,
           percentile_cont(0.5) within group (order by ms) as p50,
           percentile_cont(0.95) within group (order by ms) as p95,
           count(*)::int as calls
    from latencies group by hour order by hour`);
  return rows.map((row) => ({ hour: row.hour, p50Ms: row.p50, p95Ms: row.p95, calls: row.calls }));
}
