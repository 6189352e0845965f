import type { Db } from "../client.ts";
import { eq, sql } from "../drizzle.ts";
import { type HourlyRows, overviewHourlyRollup } from "../schema/index.ts";
import { type HourRange, readHourlyRows, tasksPerHourByStatus } from "./hourly-series.ts";

const HOUR = 3_600_000;
// Events and recordings of an hour can still be stored after it ends (a queue backlog): the last two are read again.
const SETTLING_HOURS = 2;
const NAME = "complete_hours";
// The two-key form: a key space of its own, apart from the calls' single-key (cdrid hash) locks.
const ROLLUP_LOCK = sql`pg_advisory_xact_lock(7405561, 24)`;

export interface HourlyRollup {
  /** Start of the hour that was running at the read: the rows cover the 23 hours before it. */
  until: Date;
  readAt: Date;
  rows: HourlyRows;
}

/**
 * The 23 complete hours before `until`: the stored rollup when a dashboard read them less than
 * `maxAgeMs` ago, otherwise refreshed and stored. A refresh reads the tasks of all 23 hours (their
 * AuditorIA status changes) but the other charts only for the hours still settling; older hours
 * keep the figures they were stored with. One dashboard refreshes at a time; the others wait for its
 * lock and then take what it stored, so replicas share one refresh.
 */
export function completeHoursRollup(db: Db, until: Date, maxAgeMs: number): Promise<HourlyRollup> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select ${ROLLUP_LOCK}`);
    const [stored] = await tx
      .select({
        until: overviewHourlyRollup.until,
        readAt: overviewHourlyRollup.readAt,
        rows: overviewHourlyRollup.rows,
        fresh: sql<boolean>`${overviewHourlyRollup.readAt} > now() - ${`${maxAgeMs} milliseconds`}::interval`,
      })
      .from(overviewHourlyRollup)
      .where(eq(overviewHourlyRollup.name, NAME));
    if (stored?.fresh && stored.until.getTime() === until.getTime()) {
      return { until: stored.until, readAt: stored.readAt, rows: stored.rows };
    }
    await tx.execute(sql`set local jit = off`);
    const since = new Date(until.getTime() - 23 * HOUR);
    // Stored rows from a later hour (a clock behind the others') do not cover ours: read everything.
    const kept = stored && stored.until <= until ? stored : undefined;
    const settling = new Date(Math.max(since.getTime(), (kept?.until ?? since).getTime() - SETTLING_HOURS * HOUR));
    const fresh = await readHourlyRows(tx, { since: settling, until });
    // The settling hours' tasks came with the rest; the hours before them are read here, not again.
    const tasks =
      settling > since ? [...(await tasksPerHourByStatus(tx, { since, until: settling })), ...fresh.tasks] : fresh.tasks;
    const keep = <T extends { hour: number }>(rows: T[] = []) =>
      rows.filter((row) => inRange(row.hour, { since, until: settling }));
    const rows: HourlyRows = {
      events: [...keep(kept?.rows.events), ...fresh.events],
      stored: [...keep(kept?.rows.stored), ...fresh.stored],
      latency: [...keep(kept?.rows.latency), ...fresh.latency],
      tasks,
    };
    // Postgres' clock (the transaction's start, before the read), the one every replica compares with.
    const readAt = sql`now()`;
    const [written] = await tx
      .insert(overviewHourlyRollup)
      .values({ name: NAME, until, readAt, rows })
      .onConflictDoUpdate({ target: overviewHourlyRollup.name, set: { until, readAt, rows } })
      .returning({ readAt: overviewHourlyRollup.readAt });
    return { until, readAt: written?.readAt ?? new Date(), rows };
  });
}

const inRange = (hour: number, { since, until }: Required<HourRange>) => hour >= since.getTime() && hour < until.getTime();
