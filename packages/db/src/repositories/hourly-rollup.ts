import type { Db } from "../client.ts";
import { eq, sql } from "../drizzle.ts";
import { type HourlyRows, overviewHourlyRollup } from "../schema/index.ts";
import { readHourlyRows } from "./hourly-series.ts";

const HOUR = 3_600_000;
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
 * `maxAgeMs` ago, otherwise read from the tables now and stored. One dashboard reads at a time; the
 * others wait for its lock and then take what it stored, so replicas aggregate the day once between them.
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
    const rows = await readHourlyRows(tx, { since: new Date(until.getTime() - 23 * HOUR), until });
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
