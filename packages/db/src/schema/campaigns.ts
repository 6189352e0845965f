import { integer, pgTable, serial, text, timestamp, varchar } from "../drizzle.ts";

export const campaigns = pgTable("campaigns", {
  campaignId: serial("campaign_id").primaryKey(),
  campaignName: varchar("campaign_name", { length: 255 }).unique().notNull(),
  description: text("description"),
  supervisorEmails: varchar("supervisor_emails"),
  approvalScore: integer("approval_score").notNull().default(0),
  createdAt: timestamp("created_at").defaultNow(),
  updatedAt: timestamp("updated_at").defaultNow(),
});
