import type { Queue } from "bullmq";
import { callEventBatches, jobsForEvents } from "./call-event-batch.ts";
import type { Queues, RoutedJob } from "./queues.ts";
import type { JobData, JobName } from "./registry.ts";

/** A batch this large goes at once rather than waiting for the turn to end: call.event's largest batch job. */
const MAX_BATCH = callEventBatches.max;

interface Waiting {
  job: RoutedJob["job"];
  added: () => void;
  failed: (error: unknown) => void;
}

export interface BatchedEnqueue {
  /**
   * enqueueParsed, but the jobs added in the same event-loop turn go to Redis together: call.event's as
   * one batch job per queue and lane, others with one addBulk per queue; resolves once this job's batch is
   * in Redis and rejects, for every job of it, if it is not.
   */
  enqueue<N extends JobName>(name: N, data: JobData<N>): Promise<void>;
  /** Send what waits now and settle every batch under way: shutdown's step before Redis closes. */
  flush(): Promise<void>;
}

/** What Redis receives for one queue and lane's waiting jobs: call.event's together as one job. */
function jobsToAdd(batch: Waiting[]) {
  const jobs = batch.map((entry) => entry.job);
  const isEvent = (job: RoutedJob["job"]): job is RoutedJob<"call.event">["job"] => job.name === "call.event";
  return [...jobsForEvents(jobs.filter(isEvent)), ...jobs.filter((job) => !isEvent(job))];
}

/** Concurrent requests' adds as one round trip each queue, and one job for their call events: fewer Redis commands than one add each. */
export function batchedEnqueue(queues: Queues): BatchedEnqueue {
  // Keyed by queue and lane: a batch job is lifo (recorded ENDs) or not as a whole.
  const waiting = new Map<string, { queue: Queue; batch: Waiting[] }>();
  const underWay = new Set<Promise<void>>();
  let scheduled = false;

  function send(queue: Queue, batch: Waiting[]) {
    const sent = queue.addBulk(jobsToAdd(batch)).then(
      () => {
        for (const entry of batch) entry.added();
      },
      (error: unknown) => {
        for (const entry of batch) entry.failed(error);
      },
    );
    underWay.add(sent);
    void sent.finally(() => underWay.delete(sent));
  }
  function sendAll() {
    scheduled = false;
    for (const { queue, batch } of waiting.values()) send(queue, batch);
    waiting.clear();
  }

  return {
    enqueue(name, data) {
      const { queue, job } = queues.routeJob(name, data);
      const key = `${queue.qualifiedName} ${job.opts.lifo ? "lifo" : "fifo"}`;
      return new Promise<void>((added, failed) => {
        const group = waiting.get(key) ?? { queue, batch: [] };
        group.batch.push({ job, added, failed });
        waiting.set(key, group);
        if (group.batch.length >= MAX_BATCH) {
          waiting.delete(key);
          send(queue, group.batch);
        } else if (!scheduled) {
          scheduled = true;
          setImmediate(sendAll); // after the turn's other requests have reached here too
        }
      });
    },
    async flush() {
      sendAll();
      await Promise.all(underWay);
    },
  };
}
