import { databaseEnv, parseEnv, redisEnv, redisSettings } from "@anura/config";
import { createDb, type DbHandle } from "@anura/db";
import { connectQueues, type Queues, waitUntilReady } from "@anura/queue";
import type { Redis } from "ioredis";
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

/** The queues and their Redis connection (for commands that also touch job keys directly). */
export async function withQueues<T>(run: (queues: Queues, redis: Redis) => Promise<T>): Promise<T> {
  const settings = redisSettings(parseEnv(redisEnv));
  const connection = connectQueues(settings, () => {}); // reported once, below, instead of an error per retry
  try {
    if (!(await waitUntilReady(connection.redis))) {
      throw new CliError(`cannot reach Redis at ${new URL(settings.url).host}: is it running? (check REDIS_URL)`);
    }
    return await run(connection.queues, connection.redis);
  } finally {
    await connection.close();
  }
}
