import { databaseEnv, parseEnv, redisEnv } from "@anura/config";
import { createDb, type DbHandle } from "@anura/db";
import { createQueues, createRedisConnection, type Queues, waitUntilReady } from "@anura/queue";
import { CliError } from "./errors.ts";

// Each command opens only what it uses, so `api-keys` and `campaigns` work without Redis.

export async function withDatabase<T>(run: (database: DbHandle) => Promise<T>): Promise<T> {
  const { DATABASE_URL } = parseEnv(databaseEnv);
  const database = createDb(DATABASE_URL, { max: 2 });
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

export async function withQueues<T>(run: (queues: Queues) => Promise<T>): Promise<T> {
  const { REDIS_URL, QUEUE_PREFIX } = parseEnv(redisEnv);
  const redis = createRedisConnection(REDIS_URL, "producer");
  redis.on("error", () => {}); // reported once, below, instead of as an unhandled error event per retry
  try {
    if (!(await waitUntilReady(redis))) {
      throw new CliError(`cannot reach Redis at ${new URL(REDIS_URL).host}: is it running? (check REDIS_URL)`);
    }
    const queues = createQueues(redis, QUEUE_PREFIX);
    try {
      return await run(queues);
    } finally {
      await queues.close();
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
