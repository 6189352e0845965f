import { index, integer, pgTable, serial, sql, text, timestamp, varchar } from "../drizzle.ts";

/**
 * Each window of Anura's CDR list that reconciliation checked (or is checking, or failed on): the
 * end of the last `done` poll window is where the next one starts, so a restart resumes there.
 */
export const anuraCdrWindows = pgTable(
  "anura_cdr_windows",
  {
    id: serial("id").primaryKey(),
    /** 'poll' (the worker's schedule, moves the cursor) or 'backfill' (`pnpm cli cdrs reconcile`). */
    kind: varchar("kind", { length: 16 }).notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** running, done, failed, or interrupted (its worker stopped; the window is checked again). */
    status: varchar("status", { length: 16 }).notNull().default("running"),
    listed: integer("listed").notNull().default(0),
    confirmed: integer("confirmed").notNull().default(0),
    recovered: integer("recovered").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [index("anura_cdr_windows_done_idx").on(table.endsAt).where(sql`kind = 'poll' and status = 'done'`)],
);
