import { ingesterEnv, parseEnv } from "@anura/config";
import { startIngester } from "@anura/ingester-app";
import { createLogger } from "@anura/logger";
import { seedEndEvent, startRedisServer } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
const event = seedEndEvent("https://r.example/1.mp3", { wasrecorded: false });

beforeAll(async () => {
  redis = await startRedisServer();
  stack = await startStack({
    worker: false,
    env: { REDIS_URL: redis.url, WEBHOOK_RATE_LIMIT_PER_MINUTE: "5", PUBLIC_RATE_LIMIT_PER_MINUTE: "3" },
  });
});
afterAll(async () => {
  await stack?.close();
  await redis?.stop();
});

describe("rate limits", () => {
  it("limit the webhook per API key, answering 429 with Retry-After, without touching other keys", async () => {
    const [busy, quiet] = [await stack.createApiKey(), await stack.createApiKey()];
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await stack.post(event, { "X-API-Key": busy })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await stack.post(event, { "X-API-Key": busy });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.body.error).toMatch(/rate limit of 5 requests per minute/);
    expect((await stack.post(event, { "X-API-Key": quiet })).status).toBe(202);
  });

  it("limit the unauthenticated test endpoint per IP", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await stack.post(event, {}, "/webhook/anura/test")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("limit failed authentication attempts per IP", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await stack.post(event, { "X-API-Key": `anura_guess_${i}` })).status);
    expect(statuses).toEqual([403, 403, 403, 429]);
  });

  it("are shared by every ingester through Redis", async () => {
    const key = await stack.createApiKey();
    const second = await startIngester(parseEnv(ingesterEnv, stack.env), createLogger({ name: "second", level: "silent" }));
    try {
      const post = (port: number) =>
        fetch(`http://127.0.0.1:${port}/webhook/anura/`, {
          method: "POST",
          body: JSON.stringify(event),
          headers: { "X-API-Key": key, "content-type": "application/json" },
        }).then((r) => r.status);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await post(stack.ingester.port), await post(second.port));
      expect(statuses.filter((s) => s === 202)).toHaveLength(5);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await second.close();
    }
  });

  it("when Redis cannot count, the webhook fails open and the unauthenticated routes fail closed", async () => {
    const key = await stack.createApiKey();
    await redis.stop();
    try {
      const webhook = await stack.post(event, { "X-API-Key": key });
      expect(webhook.status).toBe(202);
      expect(webhook.body.accepted_via).toBe("inbox");
      expect((await stack.post(event, {}, "/webhook/anura/test")).status).toBe(503);
    } finally {
      await redis.start();
    }
  });
});

describe("authentication matrix", () => {
  // Each case as its own client (the ingester trusts one proxy hop), so the failed-login limit above stays out of it.
  let client = 0;
  const fromNewClient = () => ({ "X-Forwarded-For": `203.0.113.${++client}` });

  it.each([
    ["no key at all", {}],
    ["the key in another header", { "X-Api-Token": "k" }],
    ["Basic instead of Bearer", { Authorization: "Basic a2V5Og==" }],
    ["an empty X-API-Key", { "X-API-Key": " " }],
  ])("%s is 401", async (_label, headers) => {
    expect((await stack.post(event, { ...fromNewClient(), ...(headers as Record<string, string>) })).status).toBe(401);
  });

  it("a key in the query string is not accepted", async () => {
    const key = await stack.createApiKey();
    const res = await fetch(`${stack.baseUrl}/webhook/anura/?api_key=${key}`, {
      method: "POST",
      body: JSON.stringify(event),
      headers: { "content-type": "application/json", ...fromNewClient() },
    });
    expect(res.status).toBe(401);
  });
});
