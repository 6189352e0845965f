import { randomUUID } from "node:crypto";
import type { CallEvent } from "@anura/call-domain";
import { afterAll, describe, expect, it } from "vitest";
import { batchedEnqueue, createQueues, createRedisConnection, type JobData } from "../src/index.ts";
import { testQueues } from "./test-queues.ts";

const redis = testQueues("batched");

const jobOf = (cdrid: string): JobData<"call.event"> => ({
  eventId: randomUUID(),
  receivedAt: new Date().toISOString(),
  event: { trigger: "START", cdrid, wasrecorded: false, recordingUrl: null, extra: {} } as unknown as CallEvent,
});

describe("the webhook's batched enqueue", () => {
  it("resolves each add once its job is in Redis, under the registry's id and options, in arrival order", async () => {
    const batched = batchedEnqueue(redis.queues);
    const jobs = Array.from({ length: 250 }, (_, i) => jobOf(`batch-${i}`)); // more than one batch's worth
    await Promise.all(jobs.map((job) => batched.enqueue("call.event", job)));
    const queue = redis.queues.queues["call.event"];
    const waiting = await queue.getWaiting(0, -1);
    expect(waiting.map((job) => job.id)).toEqual(jobs.map((job) => `evt-${job.eventId}`));
    expect(waiting[0]?.opts).toMatchObject({ attempts: 12, backoff: { type: "exponential", delay: 1000 } });
  });

  it("flush sends what waits at once and resolves once it is in Redis", async () => {
    const batched = batchedEnqueue(redis.queues);
    const job = jobOf("flushed");
    const added = batched.enqueue("call.event", job);
    await batched.flush();
    expect(await redis.queues.queues["call.event"].getJobState(`evt-${job.eventId}`)).toBe("waiting");
    await added;
  });

  describe("when Redis does not take the batch", () => {
    // A producer connection (fail-fast) to a port nothing listens on.
    const down = createRedisConnection({ url: "redis://127.0.0.1:1" }, "producer");
    down.on("error", () => {});
    const queues = createQueues(down, "batched-down");
    afterAll(async () => {
      await queues.close().catch(() => {});
      down.disconnect();
    });

    it("rejects every add of it, so each event goes to the inbox instead", async () => {
      const batched = batchedEnqueue(queues);
      const outcomes = await Promise.allSettled(["a", "b", "c"].map((cdrid) => batched.enqueue("call.event", jobOf(cdrid))));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected", "rejected"]);
    });
  });
});
