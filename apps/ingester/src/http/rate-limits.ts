import type { Logger } from "@anura/logger";
import { type Options, rateLimit, type Store } from "express-rate-limit";
import type { Redis } from "ioredis";
import { type RedisReply, RedisStore } from "rate-limit-redis";
import type { IngesterDeps } from "../deps.ts";

function redisStore(redis: Redis, prefix: string): Store {
  return new RedisStore({
    prefix,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

/**
 * A store that lets the request through when Redis cannot count, logging once per outage
 * (express-rate-limit's own fail-open path prints a stack trace for every request).
 */
function failOpen(store: Store, log: Logger): Store {
  let warned = false;
  return {
    prefix: store.prefix,
    localKeys: false,
    init: (options) => store.init?.(options),
    async increment(key) {
      try {
        const counted = await store.increment(key);
        warned = false;
        return counted;
      } catch (error) {
        if (!warned) log.warn({ err: error }, "rate limiter cannot reach Redis: webhook requests pass uncounted");
        warned = true;
        return { totalHits: 0, resetTime: undefined };
      }
    },
    decrement: async (key) => store.decrement(key)?.catch(() => {}),
    resetKey: async (key) => store.resetKey(key)?.catch(() => {}),
  };
}

const base = (limit: number, store: Store): Partial<Options> => ({
  windowMs: 60_000,
  limit,
  standardHeaders: "draft-8",
  legacyHeaders: false,
  store,
  handler: (_req, res, _next, options) =>
    res.status(429).json({
      success: false,
      error: `rate limit of ${options.limit} requests per minute exceeded: retry after the Retry-After seconds`,
    }),
});

/** Per API key on the webhook, shared by every ingester through Redis; an event is worth more than a limit. */
export function webhookRateLimit(deps: IngesterDeps) {
  const store = failOpen(redisStore(deps.redis, `${deps.rateLimit.prefix}:rl:webhook:`), deps.log);
  return rateLimit({
    ...base(deps.rateLimit.webhookPerMinute, store),
    keyGenerator: (req) => `key-${req.apiKey?.id ?? "none"}`,
  });
}

/** Per IP on unauthenticated routes and failed logins; if Redis cannot count, these fail closed. */
export function publicRateLimit(deps: IngesterDeps, name: string) {
  return rateLimit({
    ...base(deps.rateLimit.publicPerMinute, redisStore(deps.redis, `${deps.rateLimit.prefix}:rl:${name}:`)),
    passOnStoreError: false,
  });
}
