import { integer, pgTable, primaryKey, timestamp, varchar } from "../drizzle.ts";

/**
 * Queue depths sampled once a minute: Redis keeps only the current count, the overview charts the
 * last 24 h. Keyed by queue and minute so several dashboards sampling at once write one row.
 */
export const queueDepthSamples = pgTable(
  "queue_depth_samples",
  {
    queue: varchar("queue", { length: 64 }).notNull(),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    waiting: integer("waiting").notNull(),
    delayed: integer("delayed").notNull(),
    active: integer("active").notNull(),
  },
  (table) => [primaryKey({ columns: [table.queue, table.minute] })],
);
