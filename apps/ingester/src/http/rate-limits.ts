import type { ServerResponse } from "node:http";
import type { RedisClient } from "@anura/queue";
import { ipKeyGenerator, rateLimit, type Store } from "express-rate-limit";
import type { ApiKeyIdentity } from "../auth/api-key-cache.ts";
import type { IngesterDeps } from "../deps.ts";
import { clientAddress } from "./client-address.ts";
import { countRequest } from "./request-counter.ts";
import { sendJson } from "./send-json.ts";

const WINDOW_MS = 60_000;

function limitExceeded(res: ServerResponse, limit: number, retryAfterSeconds?: number): void {
  const headers: Record<string, string> = retryAfterSeconds ? { "Retry-After": String(retryAfterSeconds) } : {};
  sendJson(
    res,
    429,
    { success: false, error: `rate limit of ${limit} requests per minute exceeded: retry after the Retry-After seconds` },
    headers,
  );
}

/**
 * Per API key on the webhook, shared by every ingester through Redis, in one round trip. It fails
 * open, logging once per outage: an event is worth more than a limit. Answers 429 itself and
 * returns false when the caller is over its limit.
 */
export function webhookRateLimit(deps: IngesterDeps) {
  const limit = deps.rateLimit.webhookPerMinute;
  const prefix = `${deps.rateLimit.prefix}:rl:webhook:key-`;
  let warned = false;
  return async (apiKey: ApiKeyIdentity, res: ServerResponse): Promise<boolean> => {
    try {
      const count = await countRequest(deps.redis, `${prefix}${apiKey.id}`, WINDOW_MS);
      warned = false;
      if (count.hits <= limit) return true;
      limitExceeded(res, limit, Math.max(1, Math.ceil(count.resetsInMs / 1000)));
      return false;
    } catch (error) {
      if (!warned) deps.log.warn({ err: error }, "rate limiter cannot reach Redis: webhook requests pass uncounted");
      warned = true;
      return true;
    }
  };
}

/** express-rate-limit's storage on the same Redis counter. */
function redisCounterStore(redis: RedisClient, prefix: string): Store {
  let windowMs = WINDOW_MS;
  return {
    prefix,
    localKeys: false,
    init: (options) => {
      windowMs = options.windowMs;
    },
    async increment(key) {
      const count = await countRequest(redis, `${prefix}${key}`, windowMs);
      return { totalHits: count.hits, resetTime: new Date(Date.now() + count.resetsInMs) };
    },
    async decrement(key) {
      await redis.decr(`${prefix}${key}`);
    },
    async resetKey(key) {
      await redis.del(`${prefix}${key}`);
    },
  };
}

/** Per client address (TRUST_PROXY) on unauthenticated routes and failed logins; if Redis cannot count, these fail closed. */
export function publicRateLimit(deps: IngesterDeps, name: string) {
  const limit = deps.rateLimit.publicPerMinute;
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    store: redisCounterStore(deps.redis, `${deps.rateLimit.prefix}:rl:${name}:`),
    passOnStoreError: false,
    keyGenerator: (req) => ipKeyGenerator(clientAddress(req, deps.trustProxy)),
    handler: (_req, res) => limitExceeded(res, limit),
  });
}
