import type { Queue } from "bullmq";
import type { Queues, RoutedJob } from "./queues.ts";
import type { JobData, JobName } from "./registry.ts";

/** A batch this large goes at once rather than waiting for the turn to end: one pipeline stays small. */
const MAX_BATCH = 100;

interface Waiting {
  job: RoutedJob["job"];
  added: () => void;
  failed: (error: unknown) => void;
}

export interface BatchedEnqueue {
  /**
   * enqueueParsed, but the jobs added in the same event-loop turn go to Redis together, one addBulk
   * per queue; resolves once this job's batch is in Redis and rejects, for every job of it, if it is not.
   */
  enqueue<N extends JobName>(name: N, data: JobData<N>): Promise<void>;
  /** Send what waits now and settle every batch under way: shutdown's step before Redis closes. */
  flush(): Promise<void>;
}

/** Concurrent requests' adds as one round trip each queue: fewer socket writes and Redis reads than one add each. */
export function batchedEnqueue(queues: Queues): BatchedEnqueue {
  const waiting = new Map<Queue, Waiting[]>();
  const underWay = new Set<Promise<void>>();
  let scheduled = false;

  function send(queue: Queue, batch: Waiting[]) {
    const sent = queue.addBulk(batch.map((entry) => entry.job)).then(
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
    for (const [queue, batch] of waiting) send(queue, batch);
    waiting.clear();
  }

  return {
    enqueue(name, data) {
      const { queue, job } = queues.routeJob(name, data);
      return new Promise<void>((added, failed) => {
        const batch = waiting.get(queue) ?? [];
        batch.push({ job, added, failed });
        waiting.set(queue, batch);
        if (batch.length >= MAX_BATCH) {
          waiting.delete(queue);
          send(queue, batch);
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
