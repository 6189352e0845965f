-- Every saved event sets updated_at: an index on it made each save write a new entry into every index of anura_calls (no HOT update).
DROP INDEX "anura_calls_awaiting_recording_idx";--> statement-breakpoint
CREATE INDEX "anura_calls_awaiting_recording_idx" ON "anura_calls" USING btree ("cdrid") WHERE recording_stored_at is null and recording_ready;--> statement-breakpoint
-- Room on each page for the next version of its rows, so an update can stay on its page (HOT).
ALTER TABLE "anura_calls" SET (fillfactor = 70);
