import { randomUUID } from "node:crypto";
import type { CallEvent } from "@anura/call-domain";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
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

describe("queue gauges", () => {
  it("report the age of the oldest waiting job, however many newer jobs and recorded ENDs wait behind or ahead of it", async () => {
    await enqueue("START");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let i = 0; i < 5; i++) await enqueue("TALK");
    for (let i = 0; i < 3; i++) await enqueue("END", true); // taken first (lifo), though newest
    const registry = new Registry();
    registerQueueGauges(registry, redis.queues);
    const metric = await registry.getSingleMetric("anura_queue_oldest_waiting_seconds")?.get();
    const age = metric?.values.find((v) => v.labels.queue === "call.event")?.value;
    expect(age).toBeGreaterThanOrEqual(1.5);
  });
});
