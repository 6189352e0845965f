import { callsAwaitingRecordingSince, type Db } from "@anura/db";
import { redactText } from "@anura/logger";
import { jobIdFor, jobRegistry, type Queues } from "@anura/queue";
import type { Queue } from "bullmq";
import { formatDuration, formatTime } from "../http/html.ts";
import { dueAtOfDelayedScore } from "../overview/fetch-progress.ts";
import type { AttentionContext, AttentionRow } from "./attention-row.ts";

const fetchJob = jobRegistry["recording.fetch"];

/** At most this many recorded calls without a recording are looked up in BullMQ per page view. */
export const RECORDING_CANDIDATES = 5_000;

export interface RecordingProblems {
  failing: AttentionRow[];
  givenUp: AttentionRow[];
  /** More calls than RECORDING_CANDIDATES await their recording: only the newest were classified. */
  truncated: boolean;
}

/**
 * Recorded calls older than NEEDS_ATTENTION_RECORDING_AFTER with no stored recording come from
 * Postgres; where each download stands comes from BullMQ: two set lookups per call in one round trip,
 * then the job itself only for downloads that failed or wait to retry.
 */
export async function recordingProblems(db: Db, queues: Queues, context: AttentionContext): Promise<RecordingProblems> {
  const { recordingAfterSeconds } = context.settings;
  const candidates = await callsAwaitingRecordingSince(db, {
    olderThanSeconds: recordingAfterSeconds,
    limit: RECORDING_CANDIDATES,
  });
  // Each partition's sets in one round trip of their own (in a cluster each lives on its own master).
  const scores = new Map<string, { queue: Queue; failed: string | null; delayed: string | null }>();
  const byQueue = Map.groupBy(candidates, ({ cdrid }) => queues.queueFor("recording.fetch", cdrid));
  await Promise.all(
    [...byQueue].map(async ([queue, calls]) => {
      const client = await queue.backend.client;
      const pipeline = client.pipeline();
      for (const { cdrid } of calls) {
        const jobId = jobIdFor("recording.fetch", { cdrid });
        pipeline.runCommand("zscore", [queue.toKey("failed"), jobId]);
        pipeline.runCommand("zscore", [queue.toKey("delayed"), jobId]);
      }
      const replies = (await pipeline.exec()) ?? [];
      calls.forEach(({ cdrid }, index) => {
        const failed = (replies[index * 2]?.[1] ?? null) as string | null;
        const delayed = (replies[index * 2 + 1]?.[1] ?? null) as string | null;
        scores.set(cdrid, { queue, failed, delayed });
      });
    }),
  );
  const problems: RecordingProblems = { failing: [], givenUp: [], truncated: candidates.length === RECORDING_CANDIDATES };
  // Only downloads failed for good or waiting to retry need their job read (its attempts, error and age).
  const stuck: { cdrid: string; queue: Queue; failed: boolean; delayedScore: string | null }[] = [];
  for (const { cdrid } of candidates) {
    const found = scores.get(cdrid);
    // Neither: waiting, running, or left to the sweeper to re-drive.
    if (found && (found.failed !== null || found.delayed !== null)) {
      stuck.push({ cdrid, queue: found.queue, failed: found.failed !== null, delayedScore: found.delayed });
    }
  }
  const jobs = await Promise.all(stuck.map(({ cdrid, queue }) => queue.getJob(jobIdFor("recording.fetch", { cdrid }))));
  const now = Date.now();
  stuck.forEach(({ cdrid, failed, delayedScore }, index) => {
    const job = jobs[index];
    if (!job) return; // removed meanwhile
    const queuedAt = new Date(job.timestamp);
    const tried = job.attemptsMade;
    const lastError = job.failedReason ? redactText(job.failedReason) : "none recorded";
    if (failed) {
      const failedAt = job.finishedOn ? new Date(job.finishedOn) : queuedAt;
      const keptUntil = new Date(failedAt.getTime() + fetchJob.retention.removeOnFail.age * 1000);
      problems.givenUp.push({
        reason: "recording_given_up",
        cdrid,
        since: failedAt,
        detail: `Download failed for good after ${tried} attempt${tried === 1 ? "" : "s"}: ${lastError}`,
        next: `Nothing: it stays failed until someone retries it (the failed job is kept until ${formatTime(keptUntil)}).`,
      });
      return;
    }
    if (now - queuedAt.getTime() < recordingAfterSeconds * 1000) return; // still in its first hour: normal
    const givesUpAt = fetchJob.retry.givesUpAt(queuedAt, context.recordingRetry);
    problems.failing.push({
      reason: "recording_failing",
      cdrid,
      since: queuedAt,
      detail: `Still failing ${formatDuration(now - queuedAt.getTime())} after it was queued: attempt ${tried} failed with ${lastError}`,
      next: `Next attempt at ${formatTime(dueAtOfDelayedScore(delayedScore))}; gives up at ${formatTime(givesUpAt)} (RECORDING_RETRY_HORIZON).`,
    });
  });
  return problems;
}
