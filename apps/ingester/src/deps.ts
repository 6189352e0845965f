import type { Db } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { Queues } from "@anura/queue";
import type { Redis } from "ioredis";
import type { ApiKeyCache } from "./auth/api-key-cache.ts";
import type { IngesterMetrics } from "./observability/metrics.ts";

export interface IngesterDeps {
  db: Db;
  redis: Redis;
  queues: Queues;
  apiKeys: ApiKeyCache;
  log: Logger;
  metrics: IngesterMetrics;
  timeZone: string;
  mapping: { defaultCampaignId?: number; defaultOperatorId?: number };
  rateLimit: { webhookPerMinute: number; publicPerMinute: number; prefix: string };
}
