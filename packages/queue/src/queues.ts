import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { JOB_NAMES, type JobData, type JobName, jobCatalog } from "./catalog.ts";
import { defaultJobOptions } from "./job-options.ts";

export interface Queues {
  queues: Record<JobName, Queue>;
  /** Validates `data` against the job's schema, then adds it; `jobId` dedupes redeliveries. */
  enqueue<N extends JobName>(name: N, data: JobData<N>, options: JobsOptions & { jobId: string }): Promise<void>;
  close(): Promise<void>;
}

/** `onError` receives connection errors, which BullMQ would otherwise print raw to stderr. */
export function createQueues(connection: Redis, prefix: string, onError: (error: Error) => void = () => {}): Queues {
  const queues = Object.fromEntries(
    JOB_NAMES.map((name) => [
      name,
      new Queue(name, { connection, prefix, defaultJobOptions: defaultJobOptions[name], skipWaitingForReady: true }),
    ]),
  ) as Record<JobName, Queue>;
  for (const queue of Object.values(queues)) queue.on("error", onError);
  return {
    queues,
    async enqueue(name, data, options) {
      const payload = jobCatalog[name].parse(data);
      await queues[name].add(name, payload, options);
    },
    async close() {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    },
  };
}

/** Job ids are derived from what they are about, so the same work is never queued twice. */
export const jobIds = {
  event: (eventId: string) => `evt-${eventId}`,
  fetch: (taskId: string) => `fetch-${taskId}`,
  task: (taskId: string) => `task-${taskId}`,
};
