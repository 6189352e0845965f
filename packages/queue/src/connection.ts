import { Redis, type RedisOptions } from "ioredis";

/**
 * Producers fail fast when Redis is down so a request is never left hanging;
 * workers wait and retry forever, as BullMQ requires for blocking commands.
 */
export function createRedisConnection(url: string, role: "producer" | "worker"): Redis {
  const options: RedisOptions =
    role === "producer"
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  return new Redis(url, { ...options, lazyConnect: false });
}

/** Wait (bounded) until a connection is usable: fail-fast producers reject commands sent before that. */
export async function waitUntilReady(redis: Redis, timeoutMs = 5000): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onReady = () => finish(true);
    function finish(ready: boolean) {
      clearTimeout(timer);
      redis.off("ready", onReady);
      resolve(ready);
    }
    redis.on("ready", onReady);
  });
}

/**
 * A readiness check for the dependency watch: waits briefly for a connection still being made, then
 * fails with the last connection error (ECONNREFUSED, ...) rather than ioredis's "stream isn't writeable".
 */
export function redisCheck(redis: Redis, waitMs = 2000): () => Promise<void> {
  let lastError: Error | undefined;
  redis.on("error", (error) => {
    lastError = error;
  });
  redis.on("ready", () => {
    lastError = undefined;
  });
  return async () => {
    if (!(await waitUntilReady(redis, waitMs))) throw lastError ?? new Error(`not connected (${redis.status})`);
    await redis.ping();
  };
}
