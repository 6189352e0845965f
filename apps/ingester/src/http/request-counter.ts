import type { RedisClient } from "@anura/queue";

// A fixed window per key: one round trip adds ARGV[2] requests and reads the count and when the window ends.
// Adding 0 only reads, and opens no window (ttl -1 when none is open).
const COUNT_SCRIPT = `
local amount = tonumber(ARGV[2])
local hits
if amount == 0 then
  hits = tonumber(redis.call("GET", KEYS[1]))
  if not hits then return { 0, -1 } end
else
  hits = redis.call("INCRBY", KEYS[1], amount)
end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { hits, ttl }`;

type CountingRedis = RedisClient & { countRequest(key: string, windowMs: number, amount: number): Promise<[number, number]> };

export interface RequestCount {
  hits: number;
  /** -1 when no window is open (nothing counted yet). */
  resetsInMs: number;
}

/** Count `amount` requests against `key` in Redis, shared by every ingester; ioredis loads the script once. */
export async function countRequest(redis: RedisClient, key: string, windowMs: number, amount = 1): Promise<RequestCount> {
  const counting = redis as CountingRedis;
  if (!counting.countRequest) redis.defineCommand("countRequest", { numberOfKeys: 1, lua: COUNT_SCRIPT });
  const [hits, resetsInMs] = await counting.countRequest(key, windowMs, amount);
  return { hits, resetsInMs };
}
