import type { CallFacts, CallState } from "@anura/call-domain";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, sql, text, timestamp, varchar } from "../drizzle.ts";

/** Our view of each call: the state merged from its events, mapping outcome and recording, including calls AuditorIA cannot take yet. */
export const anuraCalls = pgTable(
  "anura_calls",
  {
    cdrid: varchar("cdrid", { length: 36 }).primaryKey(),
    state: jsonb("state").$type<CallState>().notNull(),
    /** What `state` is derived from, one event merged at a time (calls stored before it: backfilled by migration 0011). */
    facts: jsonb("facts").$type<CallFacts>(),
    /** Bumped on every save of the state: a writer that read an older version retries. */
    version: integer("version").notNull().default(0),
    /** recordingReady(state), kept beside it so SQL (the sweeper) applies the very same rule. */
    recordingReady: boolean("recording_ready").notNull().default(false),
    /** recordingLinkMissing(state): a column of its own, since an index reading `state` would stop every save being HOT. */
    recordingLinkMissing: boolean("recording_link_missing").notNull().default(false),
    campaignId: integer("campaign_id"),
    operatorId: integer("operator_id"),
    /** null when mapped; otherwise what is missing ("campaign", "operator"). */
    unmappedReason: text("unmapped_reason"),
    recordingKey: varchar("recording_key", { length: 255 }),
    recordingFileName: varchar("recording_file_name", { length: 255 }),
    recordingBytes: bigint("recording_bytes", { mode: "number" }),
    recordingSha256: varchar("recording_sha256", { length: 64 }),
    recordingDuration: doublePrecision("recording_duration"),
    recordingStoredAt: timestamp("recording_stored_at", { withTimezone: true }),
    taskUuid: varchar("task_uuid", { length: 36 }),
    /** What first told us of the call: 'webhook', or 'cdr' when reconciliation found it in Anura's CDR list. */
    source: varchar("source", { length: 16 }).notNull().default("webhook"),
    staleAt: timestamp("stale_at", { withTimezone: true }),
    /** When its phone numbers, names and free fields were removed (PERSONAL_DATA_RETENTION_DAYS or a forget request). */
    scrubbedAt: timestamp("scrubbed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("anura_calls_unmapped_idx").on(table.unmappedReason),
    // The sweeper looks only at calls still waiting for their recording, or not yet flagged stale. Not on
    // updated_at, which every save sets: that would rule out HOT updates (migration 0013 also sets fillfactor 70).
    index("anura_calls_awaiting_recording_idx").on(table.cdrid).where(sql`recording_stored_at is null and recording_ready`),
    index("anura_calls_open_idx").on(table.createdAt).where(sql`stale_at is null`),
    // The retention sweep looks only at calls not scrubbed yet, oldest first.
    index("anura_calls_unscrubbed_idx").on(table.createdAt).where(sql`scrubbed_at is null`),
    // The overview charts recordings stored per hour and joins tasks back to their call.
    index("anura_calls_recording_stored_idx").on(table.recordingStoredAt),
    index("anura_calls_task_uuid_idx").on(table.taskUuid),
    // The dashboard's "Needs attention" list reads each reason's newest calls from its own partial index.
    index("anura_calls_attention_recording_idx").on(table.createdAt).where(sql`recording_ready and recording_stored_at is null`),
    index("anura_calls_attention_unmapped_idx").on(table.createdAt).where(sql`unmapped_reason is not null and task_uuid is null`),
    index("anura_calls_attention_no_link_idx").on(table.createdAt).where(sql`recording_link_missing`),
    // Calls recovered from the CDR list, per hour (overview, alert gauge).
    index("anura_calls_recovered_idx").on(table.createdAt).where(sql`source = 'cdr'`),
  ],
);
