import { integer, pgTable, timestamp, uniqueIndex, varchar } from "../drizzle.ts";

/** AuditorIA's table, columns exactly as AuditorIA defines them; call_id gets an extra unique index. */
export const callLogs = pgTable(
  "call_logs",
  {
    fileName: varchar("file_name", { length: 255 }).primaryKey(),
    date: timestamp("date"),
    campaignId: integer("campaign_id").notNull(),
    callId: varchar("call_id", { length: 36 }),
    aniTel: varchar("ani_tel", { length: 30 }),
    operatorId: integer("operator_id").notNull(),
    direction: varchar("direction", { length: 50 }),
    callStartDate: timestamp("call_start_date"),
    callEndDate: timestamp("call_end_date"),
    sectot: integer("sectot"),
    createdAt: timestamp("created_at").defaultNow(),
    updatedAt: timestamp("updated_at").defaultNow(),
    url: varchar("url", { length: 500 }),
    log: varchar("log", { length: 5000 }),
    uploadBy: varchar("upload_by", { length: 255 }),
  },
  (table) => [uniqueIndex("call_logs_call_id_key").on(table.callId)],
);
