import type { RequestListener } from "node:http";
import type { DatabaseSettings, HttpServerSettings, RedisSettings } from "@anura/config";
import { connectDatabase } from "@anura/db";
import type { Logger } from "@anura/logger";
import { connectQueues, redisCheck, waitUntilReady } from "@anura/queue";
import { type DependencyCheck, watchDependencies } from "./dependency-watch.ts";
import { listen } from "./listen.ts";
import { createRegistry } from "./metrics.ts";

/** What every app's settings carry for the part of start-up they share. */
export interface AppBaseSettings {
  database: DatabaseSettings;
  redis: RedisSettings;
  http: HttpServerSettings;
}

export interface AppBaseOptions {
  /** Dependencies watched beside Postgres and Redis (the worker's S3). */
  checks?: Record<string, DependencyCheck>;
  /** Wait (at most 5 s) for Redis before going on: a fail-fast producer rejects commands sent earlier. */
  waitForRedis?: boolean;
}

/**
 * The start-up every app shares: Postgres, the Redis its queues live on, the dependency watch behind
 * /readyz, the Prometheus registry, listening with the one "listening" line, and the shutdown order.
 * Nothing here waits for Postgres: an app that starts while a dependency is down reports it on /readyz.
 */
export async function startAppBase(settings: AppBaseSettings, log: Logger, options: AppBaseOptions = {}) {
  const database = connectDatabase(settings.database);
  // Debug only: the dependency watch logs an outage once, these repeat on every reconnect attempt.
  const quietly = (error: Error) => log.debug({ err: error }, "redis connection error");
  const connection = connectQueues(settings.redis, quietly);
  const dependencies = watchDependencies(log, {
    postgres: () => database.sql`select 1`,
    redis: redisCheck(connection.redis),
    ...options.checks,
  });
  if (options.waitForRedis) await waitUntilReady(connection.redis);
  return {
    db: database.db,
    sql: database.sql,
    redis: connection.redis,
    queues: connection.queues,
    dependencies,
    registry: createRegistry(),
    /** For a Redis connection of the app's own: its errors logged as the shared one's are. */
    quietly,
    /**
     * Listen with the HTTP_* limits; `line` says what is served where, logged once with the port
     * (the worker, whose port only serves operators, logs a start line of its own instead).
     */
    async serve(handler: RequestListener, at: { port: number; host: string }, line?: (where: string) => string) {
      const listener = await listen(handler, at, settings.http);
      if (line) log.info({ port: listener.port }, line(listener.where));
      return listener;
    },
    /**
     * Stop watching dependencies, run the app's steps in order (stop accepting, drain), then close
     * Postgres and Redis, which the steps may still use. main.ts bounds it all by SHUTDOWN_TIMEOUT.
     */
    async close(...steps: Array<() => unknown>) {
      dependencies.stop();
      for (const step of steps) await step();
      await Promise.all([database.close(), connection.close()]);
    },
  };
}
