import type { RedisSettings } from "@anura/config";
import { createRedisConnection, type RedisClient } from "./connection.ts";
import { createQueues, type Queues } from "./queues.ts";

export interface QueueConnection {
  /** Fail-fast (producer) connection: a command while Redis is down rejects at once. */
  redis: RedisClient;
  queues: Queues;
  /** Close the queues, then the connection. */
  close(): Promise<void>;
}

/**
 * The Redis connection and queues a process adds jobs through. `onError` gets every connection error,
 * one per reconnect attempt while Redis is down: log them quietly and report the outage once elsewhere.
 */
export function connectQueues(settings: RedisSettings, onError: (error: Error) => void): QueueConnection {
  const redis = createRedisConnection(settings, "producer");
  redis.on("error", onError);
  const queues = createQueues(redis, settings.queuePrefix, onError, settings.queuePartitions);
  return {
    redis,
    queues,
    async close() {
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
