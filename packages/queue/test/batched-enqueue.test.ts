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

const recordedEnd = (cdrid: string): JobData<"call.event"> => {
  const job = jobOf(cdrid);
  return { ...job, event: { ...job.event, trigger: "END", wasrecorded: true, recordingUrl: "https://r.example/1.mp3" } };
};

describe("the webhook's batched enqueue", () => {
  it("sends one turn's call events as one job per 100, under the registry's options, in arrival order; each add resolves once it is in Redis", async () => {
    const batched = batchedEnqueue(redis.queues);
    const jobs = Array.from({ length: 250 }, (_, i) => jobOf(`batch-${i}`)); // more than one batch's worth
    await Promise.all(jobs.map((job) => batched.enqueue("call.event", job)));
    const queue = redis.queues.queues["call.event"];
    const waiting = await queue.getWaiting(0, -1);
    const oldestFirst = waiting; // as a worker takes them
    expect(oldestFirst.map((job) => job.id)).toEqual([0, 100, 200].map((i) => `batch-${jobs[i]?.eventId}`));
    expect(oldestFirst.flatMap((job) => job.data.batch)).toEqual(jobs);
    expect(oldestFirst[0]?.opts).toMatchObject({ attempts: 12, backoff: { type: "exponential", delay: 1000 } });
  });

  it("keeps recorded ENDs in their lane: a turn's lifo events make a batch of their own", async () => {
    const batched = batchedEnqueue(redis.queues);
    const plain = [jobOf("lane-1"), jobOf("lane-2")];
    const recorded = [recordedEnd("lane-3"), recordedEnd("lane-4")];
    await Promise.all(
      [plain[0], recorded[0], plain[1], recorded[1]].map((job) => batched.enqueue("call.event", job as JobData<"call.event">)),
    );
    const waiting = await redis.queues.queues["call.event"].getWaiting(0, -1);
    const byId = Object.fromEntries(waiting.map((job) => [job.id, job]));
    expect(byId[`batch-${plain[0]?.eventId}`]?.data.batch).toEqual(plain);
    expect(byId[`batch-${plain[0]?.eventId}`]?.opts.lifo).toBeFalsy();
    expect(byId[`batch-${recorded[0]?.eventId}`]?.data.batch).toEqual(recorded);
    expect(byId[`batch-${recorded[0]?.eventId}`]?.opts.lifo).toBe(true);
  });

  it("sends a lone event as the job it always was: its own id, its data unchanged", async () => {
    const batched = batchedEnqueue(redis.queues);
    const job = jobOf("alone");
    await batched.enqueue("call.event", job);
    const stored = await redis.queues.queues["call.event"].getJob(`evt-${job.eventId}`);
    expect(stored?.data).toEqual(job);
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
