import { randomUUID } from "node:crypto";
import type { CallEvent } from "@anura/call-domain";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { registerQueueGauges } from "../src/index.ts";
import { testQueues } from "./test-queues.ts";

const redis = testQueues("gauges");

const enqueue = (trigger: string, recorded = false) =>
  redis.queues.enqueueParsed("call.event", {
    eventId: randomUUID(),
    receivedAt: new Date().toISOString(),
    event: {
      trigger,
      cdrid: `gauge-${randomUUID()}`,
      wasrecorded: recorded,
      recordingUrl: recorded ? "https://recordings.test/a.mp3" : null,
    } as unknown as CallEvent,
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function oldestWaitingSeconds(): Promise<number | undefined> {
  const registry = new Registry();
  registerQueueGauges(registry, redis.queues);
  const metric = await registry.getSingleMetric("anura_queue_oldest_waiting_seconds")?.get();
  return metric?.values.find((v) => v.labels.queue === "call.event")?.value;
}

describe("queue gauges", () => {
  afterEach(() => redis.queues.queues["call.event"].drain());

  it("report the age of the oldest waiting job, however many newer jobs and recorded ENDs wait behind or ahead of it", async () => {
    await enqueue("START");
    await sleep(1500);
    for (let i = 0; i < 5; i++) await enqueue("TALK");
    for (let i = 0; i < 25; i++) await enqueue("END", true); // taken first (lifo), though newest
    const age = await oldestWaitingSeconds();
    expect(age).toBeGreaterThanOrEqual(1.5);
    expect(age).toBeLessThan(30);
  });

  it("report a recorded END's age when it is the oldest job waiting, ahead of newer ones of both kinds", async () => {
    await enqueue("END", true);
    await sleep(1500);
    for (let i = 0; i < 25; i++) await enqueue("END", true);
    for (let i = 0; i < 5; i++) await enqueue("TALK");
    expect(await oldestWaitingSeconds()).toBeGreaterThanOrEqual(1.5);
  });

  it("report 0 when nothing waits", async () => {
    expect(await oldestWaitingSeconds()).toBe(0);
  });
});
