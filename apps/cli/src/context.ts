import { databaseEnv, databaseSettings, parseEnv, redisEnv, redisSettings } from "@anura/config";
import { connectDatabase, type DbHandle } from "@anura/db";
import type { RedisClient } from "@anura/queue";
import { connectQueues, type Queues, waitUntilReady } from "@anura/queue";
import { CliError } from "./errors.ts";

// Each command opens only what it uses, so `api-keys` and `campaigns` work without Redis.

export async function withDatabase<T>(run: (database: DbHandle) => Promise<T>): Promise<T> {
  const database = connectDatabase(databaseSettings(parseEnv(databaseEnv)));
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

/** The queues and their Redis connection (for commands that also touch job keys directly). */
export async function withQueues<T>(run: (queues: Queues, redis: RedisClient) => Promise<T>): Promise<T> {
  const settings = redisSettings(parseEnv(redisEnv));
  const connection = connectQueues(settings, () => {}); // reported once, below, instead of an error per retry
  try {
    if (!(await waitUntilReady(connection.redis))) {
      const where = settings.clusterNodes
        ? `the Redis Cluster at ${settings.clusterNodes.map((node) => `${node.host}:${node.port}`).join(",")}: is it running? (check REDIS_CLUSTER_NODES)`
        : `Redis at ${new URL(settings.url).host}: is it running? (check REDIS_URL)`;
      throw new CliError(`cannot reach ${where}`);
    }
    return await run(connection.queues, connection.redis);
  } finally {
    await connection.close();
  }
}
