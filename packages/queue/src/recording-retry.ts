import type { RecordingRetrySettings } from "@anura/config";

/**
 * recording.fetch's retry rule: RECORDING_RETRY_DELAYS between attempts (its last step repeated), until
 * RECORDING_RETRY_HORIZON after the job was queued. The worker schedules by it, the dashboard tells it.
 */
export const recordingRetry = {
  /** The BullMQ backoff type naming this schedule: the worker's backoffStrategy answers it with delayMs. */
  backoff: "recording",
  delayMs,
  isLastAttempt,
  givesUpAt,
  expectedAttempts,
};

const stepMs = (schedule: RecordingRetrySettings, attemptsMade: number) =>
  (schedule.delaysSeconds[Math.min(Math.max(attemptsMade - 1, 0), schedule.delaysSeconds.length - 1)] ?? 60) * 1000;

/** Delay before the next attempt: its step with ±20% jitter, so calls that failed together spread; never before Retry-After. */
function delayMs(attemptsMade: number, schedule: RecordingRetrySettings, retryAfterMs?: number): number {
  const scheduled = stepMs(schedule, attemptsMade) * (0.8 + Math.random() * 0.4);
  return Math.round(Math.max(scheduled, retryAfterMs ?? 0));
}

/** The attempt that just failed is the last one when the next would start past the horizon. */
function isLastAttempt(
  job: { timestamp: number; attemptsMade: number },
  schedule: RecordingRetrySettings,
  retryAfterMs?: number,
): boolean {
  return Date.now() + delayMs(job.attemptsMade + 1, schedule, retryAfterMs) - job.timestamp > schedule.horizonMs;
}

function givesUpAt(queuedAt: Date, schedule: RecordingRetrySettings): Date {
  return new Date(queuedAt.getTime() + schedule.horizonMs);
}

/** How many attempts fit in the horizon on the schedule (jitter and Retry-After move it a little). */
function expectedAttempts(schedule: RecordingRetrySettings): number {
  let elapsed = 0;
  let attempts = 1;
  while (attempts < 10_000) {
    const step = stepMs(schedule, attempts);
    if (elapsed + step > schedule.horizonMs) break;
    elapsed += step;
    attempts++;
  }
  return attempts;
}
