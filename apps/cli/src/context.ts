import type { CliSettings } from "@anura/config";
import { createDb, type DbHandle } from "@anura/db";
import { connectQueues, type Queues, waitUntilReady } from "@anura/queue";
import type { Redis } from "ioredis";
import { CliError } from "./errors.ts";

/** What every command gets: the settings read once by runCli, and the connections it may open. */
export interface CliContext {
  settings: CliSettings;
  withDatabase<T>(run: (database: DbHandle) => Promise<T>): Promise<T>;
  /** The queues and their Redis connection (for commands that also touch job keys directly). */
  withQueues<T>(run: (queues: Queues, redis: Redis) => Promise<T>): Promise<T>;
}

// Each command opens only what it uses, so `api-keys` and `campaigns` work without Redis.
export function createCliContext(settings: CliSettings): CliContext {
  return {
    settings,
    async withDatabase(run) {
      const database = createDb(settings.databaseUrl, { max: 2 });
      try {
        return await run(database);
      } finally {
        await database.close();
      }
    },
    async withQueues(run) {
      const connection = connectQueues(settings.redis, () => {}); // reported once, below, instead of an error per retry
      try {
        if (!(await waitUntilReady(connection.redis))) {
          throw new CliError(`cannot reach Redis at ${new URL(settings.redis.url).host}: is it running? (check REDIS_URL)`);
        }
        return await run(connection.queues, connection.redis);
      } finally {
        await connection.close();
      }
    },
  };
}
