import { createLogger } from "@anura/logger";
import { TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyRateLimiter } from "../src/http/key-rate-limiter.ts";

let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await redis?.quit();
});

const limiter = () =>
  new KeyRateLimiter(redis, {
    limit: 5,
    windowMs: 60_000,
    prefix: `${uniquePrefix("limiter")}:`,
    log: createLogger({ name: "test", level: "silent" }),
  });
const admitted = (limit: KeyRateLimiter, requests: number) =>
  Array.from({ length: requests }, () => limit.take("key")).filter((answer) => answer.allowed).length;

describe("the webhook's per-key limit within one ingester", () => {
  it("admits exactly the limit, also while a flush is on its way to Redis", async () => {
    const limit = limiter();
    expect(admitted(limit, 3)).toBe(3);
    const flushing = limit.flush(); // its Redis reply has not come back yet
    expect(admitted(limit, 10)).toBe(2);
    await flushing;
    expect(admitted(limit, 10)).toBe(0);
    await limit.flush();
    expect(admitted(limit, 10)).toBe(0);
  });
});
