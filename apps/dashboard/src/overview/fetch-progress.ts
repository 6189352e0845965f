import { redactText } from "@anura/logger";
import { jobIdFor, type Queues } from "@anura/queue";
import type { Queue } from "bullmq";

export type FetchState = "waiting" | "active" | "delayed" | "failed" | "completed" | "unknown";

export interface FetchProgress {
  jobId: string;
  state: FetchState;
  /** Attempts that have finished (failed or succeeded). */
  attemptsMade: number;
  queuedAt: Date;
  /** The last attempt's error, scrubbed of URL query strings and numbers. */
  lastError: string | null;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
}

/** Where the call's recording download stands in BullMQ, or null when none was ever queued (or it expired). */
export async function fetchProgress(queues: Queues, cdrid: string): Promise<FetchProgress | null> {
  const queue = queues.queueFor("recording.fetch", cdrid);
  const jobId = jobIdFor("recording.fetch", { cdrid });
  const job = await queue.getJob(jobId);
  if (!job) return null;
  const state = await job.getState();
  return {
    jobId,
    state: isKnown(state) ? state : "unknown",
    attemptsMade: job.attemptsMade,
    queuedAt: new Date(job.timestamp),
    lastError: job.failedReason ? redactText(job.failedReason) : null,
    nextAttemptAt: state === "delayed" ? await delayedUntil(queue, jobId) : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}

async function delayedUntil(queue: Queue, jobId: string): Promise<Date | null> {
  const client = await queue.backend.client;
  return dueAtOfDelayedScore(await client.zscore(queue.toKey("delayed"), jobId));
}

/** BullMQ scores the delayed set as (due time in ms) * 4096 + a per-millisecond counter. */
export function dueAtOfDelayedScore(score: string | null): Date | null {
  return score === null ? null : new Date(Math.floor(Number(score) / 4096));
}

function isKnown(state: string): state is FetchState {
  return ["waiting", "active", "delayed", "failed", "completed"].includes(state);
}

/** Retry the call's failed download; says why not when it is not in the failed set. */
export async function retryFailedFetch(queues: Queues, cdrid: string): Promise<{ retried: boolean; why: string }> {
  const job = await queues.queueFor("recording.fetch", cdrid).getJob(jobIdFor("recording.fetch", { cdrid }));
  if (!job) return { retried: false, why: "no recording download is queued for this call (or it has expired)" };
  const state = await job.getState();
  if (state !== "failed") return { retried: false, why: `the recording download is ${state}, not failed` };
  await job.retry("failed");
  return { retried: true, why: "retried" };
}

/** Try the call's download again now: a failed one is retried (as the button does), a delayed one's wait is cut short. */
export async function retryFetchNow(queues: Queues, cdrid: string): Promise<{ retried: boolean; why: string }> {
  const job = await queues.queueFor("recording.fetch", cdrid).getJob(jobIdFor("recording.fetch", { cdrid }));
  if (!job) return { retried: false, why: "no recording download is queued for this call (or it has expired)" };
  const state = await job.getState();
  if (state === "failed") return retryFailedFetch(queues, cdrid);
  if (state !== "delayed") return { retried: false, why: `the recording download is ${state}` };
  await job.promote();
  return { retried: true, why: "promoted" };
}
