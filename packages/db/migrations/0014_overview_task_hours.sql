-- The overview's charts count the running hour's tasks on every page load: read them from an index, not a scan of every AuditorIA task.
CREATE INDEX IF NOT EXISTS "tasks_anura_created_idx" ON "tasks" USING btree ("created_at") WHERE (task_params->>'source') = 'anura';
