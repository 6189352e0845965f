import { createApiKey, createCampaign, createDb } from "@anura/db";
import { createTestDatabase } from "@anura/testing";
import type postgres from "postgres";

export interface BenchDatabase {
  url: string;
  apiKey: string;
  sql: postgres.Sql;
  /** Called with the call id of every task row the moment its insert commits. */
  onTask(listener: (callId: string, at: number) => void): void;
  close(): Promise<void>;
}

// Fires at commit, so the bench learns of a task row when AuditorIA's workers could first see it.
const NOTIFY_ON_TASK = `
  create or replace function bench_notify_task() returns trigger language plpgsql as $$
  begin perform pg_notify('bench_task', coalesce(new.task_params->>'call_id', new.uuid)); return new; end $$;
  create trigger bench_notify_task after insert on tasks for each row execute function bench_notify_task();`;

/** A fresh migrated database of the bench's own, with an API key, campaign 1 and a task watcher. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const database = await createTestDatabase();
  const handle = createDb(database.url, { max: 2 });
  const listeners: ((callId: string, at: number) => void)[] = [];
  try {
    const { plainKey } = await createApiKey(handle.db, "bench");
    await createCampaign(handle.db, { id: 1, name: "Bench" });
    await handle.sql.unsafe(NOTIFY_ON_TASK);
    await handle.sql.listen("bench_task", (callId) => {
      const at = performance.now();
      for (const listener of listeners) listener(callId, at);
    });
    return {
      url: database.url,
      apiKey: plainKey,
      sql: handle.sql,
      onTask: (listener) => void listeners.push(listener),
      async close() {
        await handle.close();
        await database.drop();
      },
    };
  } catch (error) {
    await handle.close().catch(() => {});
    await database.drop();
    throw error;
  }
}
