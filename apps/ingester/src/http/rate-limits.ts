import { type Options, rateLimit } from "express-rate-limit";
import type { Redis } from "ioredis";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { IngesterDeps } from "../deps.ts";

function store(redis: Redis, prefix: string) {
  return new RedisStore({
    prefix,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

const base = (deps: IngesterDeps, name: string, limit: number): Partial<Options> => ({
  windowMs: 60_000,
  limit,
  standardHeaders: "draft-8",
  legacyHeaders: false,
  store: store(deps.redis, `${deps.rateLimit.prefix}:rl:${name}:`),
  handler: (_req, res, _next, options) =>
    res.status(429).json({ success: false, error: `rate limit of ${options.limit} requests per minute exceeded: retry after the Retry-After seconds` }),
});

/**
 * Per API key on the webhook, shared by every ingester through Redis. If Redis cannot count,
 * the request goes through: an event is worth more than a limit.
 */
export function webhookRateLimit(deps: IngesterDeps) {
  return rateLimit({
    ...base(deps, "webhook", deps.rateLimit.webhookPerMinute),
    keyGenerator: (req) => `key-${req.apiKey?.id ?? "none"}`,
    passOnStoreError: true,
  });
}

/** Per IP on unauthenticated routes and failed logins; if Redis cannot count, these fail closed. */
export function publicRateLimit(deps: IngesterDeps, name: string) {
  return rateLimit({
    ...base(deps, name, deps.rateLimit.publicPerMinute),
    passOnStoreError: false,
  });
}
