import type { MappingDefaults, TrustProxy } from "@anura/config";
import type { Db } from "@anura/db";
import type { DependencyWatch } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import type { BatchedEnqueue, Queues, RedisClient } from "@anura/queue";
import type { ApiKeyCache } from "./auth/api-key-cache.ts";
import type { KeyRateLimiter } from "./http/key-rate-limiter.ts";
import type { IngesterMetrics } from "./observability/metrics.ts";
import type { SourceActivityCounter } from "./observability/source-activity.ts";

export interface IngesterDeps {
  db: Db;
  redis: RedisClient;
  queues: Queues;
  /** The webhook's adds, batched per event-loop turn (the inbox relay adds through queues). */
  enqueue: BatchedEnqueue;
  apiKeys: ApiKeyCache;
  log: Logger;
  metrics: IngesterMetrics;
  /** Postgres and Redis, watched: /readyz reports them. */
  dependencies: DependencyWatch;
  /** Accepted events per key per hour, for the silence alarm. */
  activity: SourceActivityCounter;
  /** Which X-Forwarded-For hops to believe (TRUST_PROXY): the one rule for every per-address decision. */
  trustProxy: TrustProxy;
  timeZone: string;
  mapping: MappingDefaults;
  rateLimit: { webhookPerMinute: number; publicPerMinute: number; prefix: string };
  /** The webhook's per-key limit, counted in memory and flushed to Redis. */
  webhookLimit: KeyRateLimiter;
}
