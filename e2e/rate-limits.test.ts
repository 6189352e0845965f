import { ingesterSettings, parseEnv } from "@anura/config";
import { RATE_LIMIT_FLUSH_MS, startIngester } from "@anura/ingester-app";
import { createLogger } from "@anura/logger";
import { closeAll, seedEndEvent, startRedisServer, waitFor } from "@anura/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendFrom } from "./send-from.ts";
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
afterAll(() => closeAll(stack, redis));

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

  it("are shared by every ingester through Redis, each seeing the others' counts within a flush", async () => {
    const key = await stack.createApiKey();
    const second = await startIngester(parseEnv(ingesterSettings, stack.env), createLogger({ name: "second", level: "silent" }));
    try {
      const post = (port: number) =>
        fetch(`http://127.0.0.1:${port}/webhook/anura/`, {
          method: "POST",
          body: JSON.stringify(event),
          headers: { "X-API-Key": key, "content-type": "application/json" },
        }).then((r) => r.status);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        // Each ingester adds its count to Redis and reads the other's every RATE_LIMIT_FLUSH_MS.
        for (const port of [stack.ingester.port, second.port]) {
          statuses.push(await post(port));
          await new Promise((resolve) => setTimeout(resolve, 3 * RATE_LIMIT_FLUSH_MS));
        }
      }
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    } finally {
      await second.close();
    }
  });

  it("count the webhook in memory: Redis gets one write per key per flush, not one per request", async () => {
    const key = await stack.createApiKey();
    const [row] = await stack.sql<{ id: number }[]>`select id from global_api_keys where prefix = ${key.slice(0, 12)}`;
    const counter = new Redis(redis.url);
    try {
      const incrbys = async () => Number(/cmdstat_incrby:calls=(\d+)/.exec(await counter.info("commandstats"))?.[1] ?? 0);
      const redisKey = `${stack.prefix}:rl:webhook:key-${row?.id}`;
      await stack.post(event, { "X-API-Key": key }); // the key's lookup, then one request after another
      await waitFor(async () => (await counter.get(redisKey)) === "1", { what: "the first count in Redis", timeoutMs: 5000 });
      const before = await incrbys();
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push((await stack.post(event, { "X-API-Key": key })).status);
      expect(statuses.filter((status) => status === 202)).toHaveLength(4); // the limit, exact within one ingester
      await waitFor(async () => (await counter.get(redisKey)) === "5", { what: "the count in Redis", timeoutMs: 5000 });
      // Four requests in a row reach Redis in one or two flushes (one write per request would be four, or ten).
      expect((await incrbys()) - before).toBeLessThanOrEqual(2);
    } finally {
      counter.disconnect();
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
      // Reconnected before the next test, whose counts would otherwise go uncounted while it retries.
      let poll = 100; // each poll from its own address: /health is rate limited per client too
      await waitFor(
        async () => (await sendFrom(`${stack.baseUrl}/webhook/anura/health`, { from: `127.0.0.${++poll}` })).status === 200,
        { what: "the ingester's Redis connection back" },
      );
    }
  });
});

describe("authentication matrix", () => {
  // Each case from its own loopback address, so the failed-login limit above stays out of it.
  let client = 10;
  const fromNewClient = () => `127.0.0.${++client}`;
  const postFrom = (from: string, headers: Record<string, string>, path = "/webhook/anura/") =>
    sendFrom(`${stack.baseUrl}${path}`, {
      method: "POST",
      from,
      body: JSON.stringify(event),
      headers: { "content-type": "application/json", ...headers },
    });

  it.each([
    ["no key at all", {}],
    ["the key in another header", { "X-Api-Token": "k" }],
    ["Basic instead of Bearer", { Authorization: "Basic a2V5Og==" }],
    ["an empty X-API-Key", { "X-API-Key": " " }],
  ])("%s is 401", async (_label, headers) => {
    expect((await postFrom(fromNewClient(), headers as Record<string, string>)).status).toBe(401);
  });

  it("a key in the query string is not accepted", async () => {
    const key = await stack.createApiKey();
    expect((await postFrom(fromNewClient(), {}, `/webhook/anura/?api_key=${key}`)).status).toBe(401);
  });
});

describe("client addresses with TRUST_PROXY unset (the default): no proxy header is believed", () => {
  it("40 failed authentications, each claiming another X-Forwarded-For, are one client: the 4th is 429", async () => {
    const from = "127.0.0.2";
    const statuses = [];
    for (let i = 0; i < 40; i++) {
      const res = await sendFrom(`${stack.baseUrl}/webhook/anura/`, {
        method: "POST",
        from,
        body: "{}",
        headers: { "X-API-Key": `anura_guess_${i}`, "X-Forwarded-For": `198.51.100.${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(new Set(statuses.slice(3))).toEqual(new Set([429]));
  });

  it("/metrics judges the connection's address, whatever X-Forwarded-For claims", async () => {
    const res = await sendFrom(`${stack.baseUrl}/metrics`, { from: "127.0.0.3", headers: { "X-Forwarded-For": "8.8.8.8" } });
    expect(res.status).toBe(200);
  });
});

describe("client addresses behind a trusted proxy", () => {
  const startBehind = (trustProxy: string) =>
    startIngester(
      parseEnv(ingesterSettings, { ...stack.env, TRUST_PROXY: trustProxy }),
      createLogger({ name: "behind-proxy", level: "silent" }),
    );
  const metricsVia = (port: number, forwardedFor: string) =>
    sendFrom(`http://127.0.0.1:${port}/metrics`, { headers: { "X-Forwarded-For": forwardedFor } }).then((r) => r.status);

  it("TRUST_PROXY=1: the hop the proxy added is the client, for /metrics and for the failed-login limit", async () => {
    const ingester = await startBehind("1");
    try {
      expect(await metricsVia(ingester.port, "8.8.8.8")).toBe(403);
      expect(await metricsVia(ingester.port, "10.0.0.1")).toBe(200);
      // A client that prepends a private address is still judged by the hop the proxy appended.
      expect(await metricsVia(ingester.port, "10.0.0.1, 8.8.8.8")).toBe(403);
      const guess = (forwardedFor: string) =>
        sendFrom(`http://127.0.0.1:${ingester.port}/webhook/anura/`, {
          method: "POST",
          body: "{}",
          headers: { "X-API-Key": "anura_guess", "X-Forwarded-For": forwardedFor },
        }).then((r) => r.status);
      const oneClient = [];
      for (let i = 0; i < 4; i++) oneClient.push(await guess("192.0.2.7"));
      expect(oneClient).toEqual([403, 403, 403, 429]);
      expect(await guess("192.0.2.8")).toBe(403); // another client behind the same proxy keeps its own budget
    } finally {
      await ingester.close();
    }
  });

  it("TRUST_PROXY=<proxy addresses>: a header from any other peer is ignored", async () => {
    const trusted = await startBehind("127.0.0.1");
    const elsewhere = await startBehind("10.9.9.9, 192.168.0.0/16");
    try {
      expect(await metricsVia(trusted.port, "8.8.8.8")).toBe(403);
      expect(await metricsVia(trusted.port, "8.8.8.8, 10.0.0.1")).toBe(200);
      expect(await metricsVia(elsewhere.port, "8.8.8.8")).toBe(200); // the loopback peer itself is the client
    } finally {
      await Promise.all([trusted.close(), elsewhere.close()]);
    }
  });
});
