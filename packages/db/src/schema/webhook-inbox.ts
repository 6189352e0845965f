import { jsonb, pgTable, timestamp, uuid } from "../drizzle.ts";

/** Events acknowledged while Redis was unreachable, waiting for the relay to queue them. */
export const webhookInbox = pgTable("webhook_inbox", {
  id: uuid("id").primaryKey(),
  job: jsonb("job").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
});
