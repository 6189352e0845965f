import type { RedisClient } from "@anura/queue";

// A fixed window per key: one round trip counts the request and reads when the window ends.
const COUNT_SCRIPT = `
local hits = redis.call("INCR", KEYS[1])
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

type CountingRedis = RedisClient & { countRequest(key: string, windowMs: number): Promise<[number, number]> };

export interface RequestCount {
  hits: number;
  resetsInMs: number;
}

/** Count one request against `key` in Redis, shared by every ingester; ioredis loads the script once. */
export async function countRequest(redis: RedisClient, key: string, windowMs: number): Promise<RequestCount> {
  const counting = redis as CountingRedis;
  if (!counting.countRequest) redis.defineCommand("countRequest", { numberOfKeys: 1, lua: COUNT_SCRIPT });
  const [hits, resetsInMs] = await counting.countRequest(key, windowMs);
  return { hits, resetsInMs };
}
