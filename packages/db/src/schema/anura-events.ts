import type { CallEvent } from "@anura/call-domain";
import { index, jsonb, pgTable, timestamp, uuid, varchar } from "../drizzle.ts";

/** Append-only log of every accepted webhook; calls are merged from it and can be replayed. */
export const anuraEvents = pgTable(
  "anura_events",
  {
    id: uuid("id").primaryKey(),
    provider: varchar("provider", { length: 32 }).notNull().default("anura"),
    cdrid: varchar("cdrid", { length: 36 }).notNull(),
    trigger: varchar("trigger", { length: 64 }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    payload: jsonb("payload").$type<CallEvent>().notNull(),
    storedAt: timestamp("stored_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("anura_events_cdrid_idx").on(table.cdrid), index("anura_events_received_idx").on(table.receivedAt)],
);
