import { redactText } from "@anura/logger";
import { JOB_NAMES, type JobName, oldestWaitingJob, type Queues } from "@anura/queue";

export interface QueueHealth {
  name: JobName;
  /** Its queues as Bull Board names them: one, or one per partition (QUEUE_PARTITIONS). */
  queueNames: string[];
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  oldestWaitingMs: number | null;
}

export interface FailedFetch {
  jobId: string;
  /** The partition's queue it failed in, where Bull Board retries it. */
  queue: string;
  cdrid: string;
  reason: string;
  attempts: number;
  failedAt: Date | null;
}

/** Backlog per queue; the oldest waiting job's age shows whether workers keep up. */
export function queueHealth(queues: Queues): Promise<QueueHealth[]> {
  return Promise.all(
    JOB_NAMES.map(async (name) => {
      const [counts, oldest] = await Promise.all([
        queues.countsOf(name, "wait", "active", "delayed", "failed"),
        Promise.all(queues.queuesOf(name).map(oldestWaitingJob)),
      ]);
      // The oldest over every partition of the queue.
      const first = oldest.filter((job) => job !== undefined).sort((a, b) => a.timestamp - b.timestamp)[0];
      return {
        name,
        queueNames: queues.placed.filter((placed) => placed.job === name).map((placed) => placed.queueName),
        waiting: counts.wait ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        oldestWaitingMs: first ? Date.now() - first.timestamp : null,
      };
    }),
  );
}

/** The most recent failed downloads: what ops look at before retrying them. */
export async function failedRecordingFetches(queues: Queues, limit = 20): Promise<FailedFetch[]> {
  // The newest `limit` of each partition, then the newest `limit` of them all.
  const perPartition = await Promise.all(queues.queuesOf("recording.fetch").map((queue) => queue.getFailed(0, limit - 1)));
  const jobs = perPartition
    .flat()
    .filter(Boolean)
    .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
    .slice(0, limit);
  return jobs.map((job) => ({
    jobId: job.id ?? "?",
    queue: job.queueName,
    cdrid: typeof job.data?.cdrid === "string" ? job.data.cdrid : "?",
    // Failure messages can quote the recording URL (tokens in its query) or a number: scrub them.
    reason: redactText(job.failedReason ?? ""),
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  }));
}
