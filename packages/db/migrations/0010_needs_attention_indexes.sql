-- The dashboard's "Needs attention" list: each reason reads its newest rows from one partial index.
CREATE INDEX IF NOT EXISTS "anura_calls_attention_recording_idx" ON "anura_calls" USING btree ("created_at") WHERE recording_ready and recording_stored_at is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "anura_calls_attention_unmapped_idx" ON "anura_calls" USING btree ("created_at") WHERE unmapped_reason is not null and task_uuid is null;--> statement-breakpoint
-- recordingLinkMissing(state) as a column: an index reading `state`, which every save changes, would stop saves being HOT.
ALTER TABLE "anura_calls" ADD COLUMN "recording_link_missing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "anura_calls" SET "recording_link_missing" = true WHERE (state->>'wasrecorded') = 'true' and (state->>'ended') = 'true' and (state->>'recordingUrl') is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "anura_calls_attention_no_link_idx" ON "anura_calls" USING btree ("created_at") WHERE recording_link_missing;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_attention_pending_idx" ON "tasks" USING btree ("created_at") WHERE status = 'pending' and (task_params->>'source') = 'anura';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tasks_attention_failed_idx" ON "tasks" USING btree ("updated_at") WHERE status in ('failed', 'error') and (task_params->>'source') = 'anura';
