import { integer, pgTable, primaryKey, timestamp } from "../drizzle.ts";

/** Accepted webhook events per API key per UTC hour: the history the silence alarm learns from. */
export const sourceActivity = pgTable(
  "source_activity",
  {
    apiKeyId: integer("api_key_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    events: integer("events").notNull(),
    lastEventAt: timestamp("last_event_at", { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.apiKeyId, table.hour] })],
);
