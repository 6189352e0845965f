import type { Db } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { Queues } from "@anura/queue";
import type { Redis } from "ioredis";
import type { ApiKeyCache } from "./auth/api-key-cache.ts";

export interface IngesterDeps {
  db: Db;
  redis: Redis;
  queues: Queues;
  apiKeys: ApiKeyCache;
  log: Logger;
  timeZone: string;
  mapping: { defaultCampaignId?: number; defaultOperatorId?: number };
  rateLimit: { webhookPerMinute: number; publicPerMinute: number; prefix: string };
}
