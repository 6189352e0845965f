import type { CliSettings } from "@anura/config";
import { connectDatabase, type DbHandle } from "@anura/db";
import type { RedisClient } from "@anura/queue";
import { connectQueues, type Queues, waitUntilReady } from "@anura/queue";
import { CliError } from "./errors.ts";

/** What every command gets: the settings read once by runCli, and the connections it may open. */
export interface CliContext {
  settings: CliSettings;
  withDatabase<T>(run: (database: DbHandle) => Promise<T>): Promise<T>;
  /** The queues and their Redis connection (for commands that also touch job keys directly). */
  withQueues<T>(run: (queues: Queues, redis: RedisClient) => Promise<T>): Promise<T>;
}

// Each command opens only what it uses, so `api-keys` and `campaigns` work without Redis.
export function createCliContext(settings: CliSettings): CliContext {
  return {
    settings,
    async withDatabase(run) {
      const database = connectDatabase(settings.database);
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
          const { clusterNodes, url } = settings.redis;
          const where = clusterNodes
            ? `the Redis Cluster at ${clusterNodes.map((node) => `${node.host}:${node.port}`).join(",")}: is it running? (check REDIS_CLUSTER_NODES)`
            : `Redis at ${new URL(url).host}: is it running? (check REDIS_URL)`;
          throw new CliError(`cannot reach ${where}`);
        }
        return await run(connection.queues, connection.redis);
      } finally {
        await connection.close();
      }
    },
  };
}
