-- The overview charts' complete hours, read by one dashboard and kept for the others (and for the next start).
CREATE TABLE "overview_hourly_rollup" (
	"name" varchar(32) PRIMARY KEY NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	"rows" jsonb NOT NULL
);
--> statement-breakpoint
-- The running hour's tasks are read on every page load: from an index, not a scan of every AuditorIA task.
CREATE INDEX IF NOT EXISTS "tasks_anura_created_idx" ON "tasks" USING btree ("created_at") WHERE (task_params->>'source') = 'anura';
