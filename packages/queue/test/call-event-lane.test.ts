import { randomUUID } from "node:crypto";
import type { CallEvent } from "@anura/call-events";
import { TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueues, partitionOf, type Queues } from "../src/index.ts";

const PARTITIONS = 2;
const prefix = uniquePrefix("lane");
let connection: Redis;
let queues: Queues;

beforeAll(() => {
  connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = createQueues(connection, prefix, () => {}, PARTITIONS);
});
afterAll(async () => {
  await queues?.close();
  await connection?.quit();
});

const eventOf = (cdrid: string, trigger: string) =>
  ({ trigger, cdrid, accounttags: "campaign_1", extra: {} }) as unknown as CallEvent;
const enqueue = (cdrid: string, trigger: string) =>
  queues.enqueueParsed("call.event", {
    eventId: randomUUID(),
    receivedAt: new Date().toISOString(),
    event: eventOf(cdrid, trigger),
  });

/** The order a worker of one partition takes its jobs in, as "cdrid trigger". */
async function takeAll(partition: number): Promise<string[]> {
  const queueName = partition === 0 ? "call.event" : `call.event.${partition}`;
  const worker = new Worker(queueName, null, { connection, prefix, autorun: false });
  const taken: string[] = [];
  for (let job = await worker.getNextJob("t"); job; job = await worker.getNextJob("t", { block: false })) {
    taken.push(`${job.data.event.cdrid} ${job.data.event.trigger}`);
    await job.moveToCompleted(null, "t", false);
  }
  await worker.close();
  return taken;
}

describe("call.event lanes", () => {
  it("behind a backlog of START and TALK, a worker takes END and RECORDING first, each in its call's partition", async () => {
    const calls = Array.from({ length: 40 }, (_, i) => `lane-${i}`);
    for (const cdrid of calls) {
      await enqueue(cdrid, "START");
      await enqueue(cdrid, "TALK");
    }
    await enqueue("lane-7", "END");
    await enqueue("lane-8", "RECORDING");
    const byPartition = await Promise.all([0, 1].map(takeAll));
    for (const [partition, taken] of byPartition.entries()) {
      const mine = calls.filter((cdrid) => partitionOf(cdrid, PARTITIONS) === partition);
      expect(taken).toHaveLength(mine.length * 2 + ["lane-7", "lane-8"].filter((c) => mine.includes(c)).length);
      expect(taken.every((entry) => mine.includes(entry.split(" ")[0] as string))).toBe(true);
      // What moves a call forward comes before every waiting START and TALK; those keep their arrival order.
      const forward = taken.filter((entry) => /END|RECORDING/.test(entry));
      expect(taken.slice(0, forward.length)).toEqual(forward);
      expect(taken.slice(forward.length)).toEqual(mine.flatMap((cdrid) => [`${cdrid} START`, `${cdrid} TALK`]));
    }
    expect(
      byPartition
        .flat()
        .filter((entry) => /END|RECORDING/.test(entry))
        .sort(),
    ).toEqual(["lane-7 END", "lane-8 RECORDING"]);
  });
});
