import { doublePrecision, index, json, pgTable, serial, sql, text, timestamp, varchar } from "../drizzle.ts";

/** AuditorIA's transcription queue: its workers pick up `pending` rows and read the audio at `url`. */
export const tasks = pgTable(
  "tasks",
  {
    id: serial("id").primaryKey(),
    uuid: varchar("uuid", { length: 36 }).unique(),
    status: varchar("status", { length: 50 }),
    result: json("result"),
    fileName: varchar("file_name", { length: 255 }),
    url: varchar("url", { length: 255 }),
    audioDuration: doublePrecision("audio_duration"),
    language: varchar("language", { length: 50 }),
    taskType: varchar("task_type", { length: 50 }),
    taskParams: json("task_params"),
    duration: doublePrecision("duration"),
    error: text("error"),
    createdAt: timestamp("created_at").defaultNow(),
    updatedAt: timestamp("updated_at").defaultNow(),
  },
  (table) => [
    // The dashboard's "Needs attention" list: our tasks (task_params.source) left pending, and those AuditorIA failed.
    index("tasks_attention_pending_idx")
      .on(table.createdAt)
      .where(sql`status = 'pending' and (task_params->>'source') = 'anura'`),
    index("tasks_attention_failed_idx")
      .on(table.updatedAt)
      .where(sql`status in ('failed', 'error') and (task_params->>'source') = 'anura'`),
    // The overview's charts read the running hour's tasks on every page load: an index, not a scan of all of AuditorIA's.
    index("tasks_anura_created_idx").on(table.createdAt).where(sql`(task_params->>'source') = 'anura'`),
  ],
);
