import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { JOB_NAMES, type JobData, type JobName, jobRegistry } from "./registry.ts";

export interface Queues {
  queues: Record<JobName, Queue>;
  /**
   * Validates `data` against the job's schema, then adds it under the registry's id for it, so a
   * redelivery is dropped; `options.jobId` overrides that only to run the same work again on purpose.
   */
  enqueue<N extends JobName>(name: N, data: JobData<N>, options?: JobsOptions): Promise<void>;
  /**
   * enqueue without the schema parse, for data that already came out of it: the webhook's normalised
   * event (whose output the job's schema accepts unchanged) and the inbox relay's parsed jobs.
   * The worker still validates every payload it takes.
   */
  enqueueParsed<N extends JobName>(name: N, data: JobData<N>): Promise<void>;
  close(): Promise<void>;
}

/** `onError` receives connection errors, which BullMQ would otherwise print raw to stderr. */
export function createQueues(connection: Redis, prefix: string, onError: (error: Error) => void = () => {}): Queues {
  const queues = Object.fromEntries(
    JOB_NAMES.map((name) => [
      name,
      // No version check: it sends INFO at once, and on a fail-fast connection that Redis is not up for yet
      // it fails for good, leaving the queue broken after Redis returns (workers still check the version).
      new Queue(name, {
        connection,
        prefix,
        defaultJobOptions: jobRegistry[name].options,
        skipWaitingForReady: true,
        skipVersionCheck: true,
      }),
    ]),
  ) as Record<JobName, Queue>;
  for (const queue of Object.values(queues)) queue.on("error", onError);
  return {
    queues,
    async enqueue(name, data, options = {}) {
      const job = jobRegistry[name];
      const payload = job.schema.parse(data);
      await queues[name].add(name, payload, { jobId: (job.jobId as (key: typeof data) => string)(data), ...options });
    },
    async enqueueParsed(name, data) {
      await queues[name].add(name, data, { jobId: (jobRegistry[name].jobId as (key: typeof data) => string)(data) });
    },
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}
