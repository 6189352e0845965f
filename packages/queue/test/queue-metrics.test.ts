import { randomUUID } from "node:crypto";
import type { CallEvent } from "@anura/call-domain";
import { TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueues, type Queues, registerQueueGauges } from "../src/index.ts";

let connection: Redis;
let queues: Queues;

beforeAll(() => {
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = createQueues(connection, uniquePrefix("gauges"));
});
afterAll(async () => {
  await queues?.close();
  await connection?.quit();
});

const enqueue = (trigger: string, recorded = false) =>
  queues.enqueueParsed("call.event", {
    eventId: randomUUID(),
    receivedAt: new Date().toISOString(),
    event: {
      trigger,
      cdrid: `gauge-${randomUUID()}`,
      wasrecorded: recorded,
      recordingUrl: recorded ? "https://recordings.test/a.mp3" : null,
    } as unknown as CallEvent,
  });

describe("queue gauges", () => {
  it("report the age of the oldest waiting job, however many newer jobs and recorded ENDs wait behind or ahead of it", async () => {
    await enqueue("START");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let i = 0; i < 5; i++) await enqueue("TALK");
    for (let i = 0; i < 3; i++) await enqueue("END", true); // taken first (lifo), though newest
    const registry = new Registry();
    registerQueueGauges(registry, queues);
    const metric = await registry.getSingleMetric("anura_queue_oldest_waiting_seconds")?.get();
    const age = metric?.values.find((v) => v.labels.queue === "call.event")?.value;
    expect(age).toBeGreaterThanOrEqual(1.5);
  });
});
