import type { DefaultJobOptions, WorkerOptions } from "bullmq";
import type { JobName } from "./catalog.ts";

const DAY = 24 * 3600;

/**
 * Retention: completed jobs stay long enough to dedupe a redelivered event; failed ones 14 days for
 * ops. Set on the workers, not on each job, so a waiting job carries ~80 fewer bytes in Redis.
 */
export const jobRetention = {
  removeOnComplete: { age: 7 * DAY, count: 200_000 },
  removeOnFail: { age: 14 * DAY },
} satisfies Pick<WorkerOptions, "removeOnComplete" | "removeOnFail">;

export const RECORDING_BACKOFF = "recording";

export const defaultJobOptions: Record<JobName, DefaultJobOptions> = {
  "call.event": { attempts: 12, backoff: { type: "exponential", delay: 1000, jitter: 0.3 } },
  // The worker gives up by elapsed time (RECORDING_RETRY_HORIZON), not by count.
  "recording.fetch": { attempts: 10_000, backoff: { type: RECORDING_BACKOFF } },
  "task.create": { attempts: 12, backoff: { type: "exponential", delay: 1000, jitter: 0.3 } },
};
