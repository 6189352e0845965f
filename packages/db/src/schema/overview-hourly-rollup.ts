import { jsonb, pgTable, timestamp, varchar } from "../drizzle.ts";

export type HourCount = {
  /** Start of the hour (UTC), epoch milliseconds. */
  hour: number;
  key: string;
  count: number;
};

export type HourLatency = {
  hour: number;
  p50Ms: number;
  p95Ms: number;
  calls: number;
};

/** The rows of the overview's four Postgres-backed hourly charts. */
export interface HourlyRows {
  events: HourCount[];
  stored: HourCount[];
  latency: HourLatency[];
  tasks: HourCount[];
}

/**
 * The overview charts' complete hours, as the last dashboard to read them found them: one row,
 * rewritten at most every half minute, so a dashboard that starts (or another replica) takes them
 * from here instead of aggregating the whole day again.
 */
export const overviewHourlyRollup = pgTable("overview_hourly_rollup", {
  name: varchar("name", { length: 32 }).primaryKey(),
  /** Start of the hour that was running at the read: the first hour the rows leave out. */
  until: timestamp("until", { withTimezone: true }).notNull(),
  readAt: timestamp("read_at", { withTimezone: true }).notNull(),
  rows: jsonb("rows").$type<HourlyRows>().notNull(),
});
