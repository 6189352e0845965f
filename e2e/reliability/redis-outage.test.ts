import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer, waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { type RecordedCall, servedCalls } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender, sleep } from "./sender.ts";

const NAME = "2-redis-down-20s";
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let redisDir: string;
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  redisDir = await mkdtemp(join(tmpdir(), "anura-redis-"));
  // Append-only, as in production: queued jobs must survive the Redis restart.
  redis = await startRedisServer({ appendOnly: true, dir: redisDir });
  ({ stack, key } = await scenarioStack(NAME, { redisUrl: redis.url }));
  calls = servedCalls(stack.recordings, "redis", 45, 1000);
});
afterAll(async () => {
  await stack?.close();
  await redis?.stop();
  await rm(redisDir, { recursive: true, force: true });
});

it("events sent while Redis is down for 20 s are acknowledged through the inbox and all processed after it returns", async () => {
  const [ingester] = await Promise.all([stack.startIngester(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  const traffic = sender.drive(calls, 600);

  await waitFor(async () => sender.acked >= 20, { what: "load under way", timeoutMs: 30_000 });
  await redis.stop();
  const inboxAcks = sender.via.inbox;
  await sleep(20_000); // the outage itself: load keeps arriving all through it
  expect(sender.via.inbox - inboxAcks).toBeGreaterThan(20);
  await redis.start();
  await traffic;

  await expectCompleteEndState(stack, NAME, calls, sender, { timeoutMs: 60_000 });
  const [{ inbox }] = await stack.sql<[{ inbox: number }]>`select count(*)::int as inbox from webhook_inbox`;
  expect(inbox).toBe(0);
}, 120_000);
