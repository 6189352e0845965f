import { randomUUID } from "node:crypto";
import { normaliseEvent } from "@anura/call-domain";
import { createQueues, jobIdFor } from "@anura/queue";
import { Redis } from "ioredis";
import { endEvent } from "./body.ts";
import { asJobs, INGESTER_BATCH } from "./drain-events.ts";
import type { BenchRedis } from "./redis.ts";

export const BACKLOG = 500_000;
const BATCH = 1000;
const IN_FLIGHT = 4;

export interface BacklogFill {
  /** Events queued, INGESTER_BATCH to a job. */
  events: number;
  ms: number;
  /** used_memory before and after: the whole growth is the backlog's. */
  memoryBefore: number;
  memoryAfter: number;
}

/**
 * Queue up to 500k realistic call events (as the ingester would under load: its payload shape, job
 * ids and default options, INGESTER_BATCH events to a job) with addBulk into database 1, which no app uses; SWAPDB later makes it the apps'
 * queue. Stops at `until` (performance.now()) if time runs out, and says how many it queued.
 */
export async function fillBacklog(redis: BenchRedis, prefix: string, until: number): Promise<BacklogFill> {
  const normalised = normaliseEvent(endEvent({ cdrid: "0" }), "America/Argentina/Buenos_Aires");
  if (!normalised.ok) throw new Error("the bench's END body does not validate");
  const connection = new Redis(redis.url, { db: 1, maxRetriesPerRequest: null });
  const queues = createQueues(connection, prefix);
  const queue = queues.queues["call.event"];
  try {
    await connection.flushdb();
    const memoryBefore = await redis.usedMemory();
    const started = performance.now();
    let queued = 0;
    let next = 0;
    const lane = async () => {
      while (next < BACKLOG && performance.now() < until) {
        const first = next;
        next += BATCH;
        const jobs = Array.from({ length: BATCH }, (_, i) => {
          const eventId = randomUUID();
          const event = { ...normalised.event, cdrid: `backlog-${first + i}` };
          const data = { eventId, receivedAt: new Date().toISOString(), event };
          return { name: "call.event" as const, data, opts: { jobId: jobIdFor("call.event", { eventId }) } };
        });
        await queue.addBulk(asJobs(jobs, INGESTER_BATCH));
        queued += BATCH;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const ms = performance.now() - started;
    const waiting = await queue.getWaitingCount();
    const jobs = Math.ceil(queued / INGESTER_BATCH);
    if (waiting !== jobs) throw new Error(`backlog fill: ${jobs} jobs added but ${waiting} waiting`);
    if (queued === 0) throw new Error("no time was left to fill a backlog");
    return { events: queued, ms, memoryBefore, memoryAfter: await redis.usedMemory() };
  } finally {
    await queues.close();
    connection.disconnect();
  }
}

/** What one waiting job in database 0 is made of: its hash's MEMORY USAGE and each field's size. */
export async function jobAnatomy(redis: BenchRedis, prefix: string) {
  const base = `${prefix}:call.event`;
  const key = `${base}:${await redis.client.lindex(`${base}:wait`, 0)}`;
  const fields = await redis.client.hgetall(key);
  return {
    jobHashBytes: Number(await redis.client.call("MEMORY", "USAGE", key, "SAMPLES", "0")),
    fieldBytes: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, Buffer.byteLength(value)])),
  };
}
