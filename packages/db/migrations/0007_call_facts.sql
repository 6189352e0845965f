DROP INDEX "anura_calls_awaiting_recording_idx";--> statement-breakpoint
ALTER TABLE "anura_calls" ADD COLUMN "facts" jsonb;--> statement-breakpoint
ALTER TABLE "anura_calls" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "anura_calls" ADD COLUMN "recording_ready" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "anura_calls_awaiting_recording_idx" ON "anura_calls" USING btree ("updated_at") WHERE recording_stored_at is null and recording_ready;--> statement-breakpoint
-- Calls stored before this column: the same rule as recordingReady() in packages/call-domain/src/merge-event.ts.
UPDATE "anura_calls" SET "recording_ready" = true WHERE state->>'wasrecorded' = 'true' AND state->>'recordingUrl' IS NOT NULL AND (state->>'ended' = 'true' OR state->'triggers' @> '["RECORDING"]'::jsonb);
