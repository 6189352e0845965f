import { callsAwaitingRecordingSince, type Db } from "@anura/db";
import { redactText } from "@anura/logger";
import { jobIdFor, jobRetention, type Queues } from "@anura/queue";
import { formatAge, formatTime } from "../http/html.ts";
import { dueAtOfDelayedScore } from "../overview/fetch-progress.ts";
import type { AttentionContext, AttentionRow } from "./attention-row.ts";

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
 * Postgres; where each download stands comes from BullMQ, three commands per call in one round trip.
 */
export async function recordingProblems(db: Db, queues: Queues, context: AttentionContext): Promise<RecordingProblems> {
  const { recordingAfterSeconds } = context.settings;
  const candidates = await callsAwaitingRecordingSince(db, {
    olderThanSeconds: recordingAfterSeconds,
    limit: RECORDING_CANDIDATES,
  });
  const queue = queues.queues["recording.fetch"];
  const client = await queue.backend.client;
  const pipeline = client.pipeline();
  for (const { cdrid } of candidates) {
    const jobId = jobIdFor("recording.fetch", { cdrid });
    pipeline.runCommand("zscore", [queue.toKey("failed"), jobId]);
    pipeline.runCommand("zscore", [queue.toKey("delayed"), jobId]);
    pipeline.runCommand("hmget", [queue.toKey(jobId), "timestamp", "attemptsMade", "failedReason", "finishedOn"]);
  }
  const replies = candidates.length > 0 ? ((await pipeline.exec()) ?? []) : [];
  const now = Date.now();
  const problems: RecordingProblems = { failing: [], givenUp: [], truncated: candidates.length === RECORDING_CANDIDATES };
  candidates.forEach(({ cdrid }, index) => {
    const [failedScore, delayedScore, fields] = [0, 1, 2].map((offset) => replies[index * 3 + offset]?.[1]);
    const [timestamp, attempts, failedReason, finishedOn] = (fields as (string | null)[] | undefined) ?? [];
    const queuedAt = new Date(Number(timestamp ?? now));
    const tried = Number(attempts ?? 0);
    const lastError = failedReason ? redactText(failedReason) : "none recorded";
    if (failedScore !== null && failedScore !== undefined) {
      const failedAt = finishedOn ? new Date(Number(finishedOn)) : queuedAt;
      const keptUntil = new Date(failedAt.getTime() + jobRetention.removeOnFail.age * 1000);
      problems.givenUp.push({
        reason: "recording_given_up",
        cdrid,
        since: failedAt,
        detail: `Download failed for good after ${tried} attempt${tried === 1 ? "" : "s"}: ${lastError}`,
        next: `Nothing: it stays failed until someone retries it (the failed job is kept until ${formatTime(keptUntil)}).`,
      });
      return;
    }
    if (delayedScore === null || delayedScore === undefined) return; // waiting, running, or re-driven by the sweeper
    if (now - queuedAt.getTime() < recordingAfterSeconds * 1000) return; // still in its first hour: normal
    const nextAttempt = dueAtOfDelayedScore(String(delayedScore));
    const givesUpAt = new Date(queuedAt.getTime() + context.recordingRetry.horizonMs);
    problems.failing.push({
      reason: "recording_failing",
      cdrid,
      since: queuedAt,
      detail: `Still failing ${formatAge(now - queuedAt.getTime())} after it was queued: attempt ${tried} failed with ${lastError}`,
      next: `Next attempt at ${formatTime(nextAttempt)}; gives up at ${formatTime(givesUpAt)} (RECORDING_RETRY_HORIZON).`,
    });
  });
  return problems;
}
