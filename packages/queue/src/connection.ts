import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";

/** A single Redis or a Redis Cluster: every Redis user in the code takes either. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL, or the seed nodes of a cluster (REDIS_CLUSTER_NODES). */
export interface RedisTarget {
  url: string;
  clusterNodes?: Array<{ host: string; port: number }>;
}

/**
 * Producers fail fast when Redis is down so a request is never left hanging;
 * workers wait and retry forever, as BullMQ requires for blocking commands.
 */
export function createRedisConnection(target: RedisTarget, role: "producer" | "worker"): RedisClient {
  const options: RedisOptions =
    role === "producer"
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 2000 }
      : { maxRetriesPerRequest: null, enableReadyCheck: true };
  if (!target.clusterNodes) return new Redis(target.url, { ...options, lazyConnect: false });
  const { enableOfflineQueue, ...redisOptions } = options;
  const cluster: ClusterOptions = {
    redisOptions,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // After a master dies its slots answer CLUSTERDOWN until a replica is promoted: retry, then re-read the slot map.
    retryDelayOnClusterDown: 200,
    retryDelayOnFailover: 200,
    retryDelayOnTryAgain: 200,
    maxRedirections: 16,
    slotsRefreshTimeout: 2000,
    slotsRefreshInterval: 5000,
    clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  };
  return new Cluster(target.clusterNodes, cluster);
}

/** Wait (bounded) until a connection is usable: fail-fast producers reject commands sent before that. */
export async function waitUntilReady(redis: RedisClient, timeoutMs = 5000): Promise<boolean> {
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
export function redisCheck(redis: RedisClient, waitMs = 2000): () => Promise<void> {
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

/** The masters of a cluster (or the one Redis): where a key scan or INFO has to look. */
export function masters(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes("master") : [redis];
}
