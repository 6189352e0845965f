import { randomUUID } from "node:crypto";
import type { CallEvent } from "@anura/call-domain";
import { TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BatchedEnqueue, batchedEnqueue, createQueues, partitionOf, type Queues } from "../src/index.ts";

const PARTITIONS = 2;
const prefix = uniquePrefix("lane");
let connection: Redis;
let queues: Queues;
let batched: BatchedEnqueue;

beforeAll(() => {
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = createQueues(connection, prefix, () => {}, PARTITIONS);
  batched = batchedEnqueue(queues);
});
afterAll(async () => {
  await queues?.close();
  await connection?.quit();
});

const eventOf = (cdrid: string, trigger: string, recorded: boolean) =>
  ({
    trigger,
    cdrid,
    wasrecorded: recorded,
    recordingUrl: recorded ? `https://recordings.test/${cdrid}.mp3` : null,
    accounttags: "campaign_1",
    extra: {},
  }) as unknown as CallEvent;
const jobOf = (cdrid: string, trigger: string, recorded: boolean) => ({
  eventId: randomUUID(),
  receivedAt: new Date().toISOString(),
  event: eventOf(cdrid, trigger, recorded),
});
type Enqueue = (cdrid: string, trigger: string, recorded?: boolean) => Promise<void>;
// One by one, each awaited (the inbox relay's way), or all in one event-loop turn through the webhook's batcher.
const oneByOne: Enqueue = (cdrid, trigger, recorded = false) =>
  queues.enqueueParsed("call.event", jobOf(cdrid, trigger, recorded));
const inOneTurn = () => {
  const adds: Promise<void>[] = [];
  const enqueue: Enqueue = async (cdrid, trigger, recorded = false) => {
    adds.push(batched.enqueue("call.event", jobOf(cdrid, trigger, recorded)));
  };
  return { enqueue, sent: () => Promise.all(adds) };
};

/** The order a worker of one partition takes its events in, as "cdrid trigger". */
async function takeAll(partition: number): Promise<string[]> {
  const queueName = partition === 0 ? "call.event" : `call.event.${partition}`;
  const worker = new Worker(queueName, null, { connection, prefix, autorun: false });
  const taken: string[] = [];
  for (let job = await worker.getNextJob("t"); job; job = await worker.getNextJob("t", { block: false })) {
    // A batch job's events are merged in their order in it.
    for (const { event } of job.data.batch ?? [job.data]) taken.push(`${event.cdrid} ${event.trigger}`);
    await job.moveToCompleted(null, "t", false);
  }
  await worker.close();
  return taken;
}

describe.each([
  { way: "added one by one", start: () => ({ enqueue: oneByOne, sent: async () => {} }) },
  { way: "added in one batch", start: inOneTurn },
])("call.event lanes, $way", ({ start }) => {
  it("behind a backlog, a worker takes a recorded END or a RECORDING first, each in its call's partition", async () => {
    const { enqueue, sent } = start();
    const calls = Array.from({ length: 40 }, (_, i) => `lane-${i}`);
    for (const cdrid of calls) {
      await enqueue(cdrid, "START");
      await enqueue(cdrid, "TALK");
      if (cdrid !== "lane-7" && cdrid !== "lane-8") await enqueue(cdrid, "END"); // unrecorded: bookkeeping
    }
    await enqueue("lane-7", "END", true);
    await enqueue("lane-8", "RECORDING", true);
    await sent();
    const forward = ["lane-7 END", "lane-8 RECORDING"];
    const byPartition = await Promise.all([0, 1].map(takeAll));
    for (const [partition, taken] of byPartition.entries()) {
      const mine = calls.filter((cdrid) => partitionOf(cdrid, PARTITIONS) === partition);
      const first = forward.filter((entry) => mine.includes(entry.split(" ")[0] as string));
      // What lets a download start comes before everything waiting; the rest keeps its arrival order.
      expect(taken.slice(0, first.length).sort()).toEqual(first);
      const rest = mine.flatMap((cdrid) => [
        `${cdrid} START`,
        `${cdrid} TALK`,
        ...(forward.some((f) => f.startsWith(`${cdrid} `)) ? [] : [`${cdrid} END`]),
      ]);
      expect(taken.slice(first.length)).toEqual(rest);
    }
    expect(
      byPartition
        .flat()
        .filter((entry) => forward.includes(entry))
        .sort(),
    ).toEqual(forward);
  });
});
