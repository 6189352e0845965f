import type { KeyActivity } from "@anura/db";

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/**
 * Alarm only when the usual traffic would have sent at least this many events in the silent
 * window: silence then happens by chance less than 5 % of the time (Poisson, e^-3).
 */
export const MIN_EXPECTED_EVENTS = 3;
/** How far back the usual activity is learned from: one week, so each hour of the week has a sample. */
export const HISTORY_MS = WEEK_MS;

export interface SilenceVerdict {
  apiKeyId: number;
  keyPrefix: string;
  keyName: string;
  silent: boolean;
  /** Events the same hours of last week would have sent in the silent window. */
  expectedEvents: number;
  lastEventAt: Date | null;
}

/**
 * Expected events in [now - window, now] from the same hours one week earlier, each hour weighted
 * by how much of it the window covers (a 30-minute window may straddle two hours).
 */
export function expectedEvents(hours: Map<number, number>, nowMs: number, windowMs: number): number {
  const startMs = nowMs - windowMs;
  let expected = 0;
  for (let hourMs = startMs - (startMs % HOUR_MS); hourMs < nowMs; hourMs += HOUR_MS) {
    const overlap = Math.min(nowMs, hourMs + HOUR_MS) - Math.max(startMs, hourMs);
    expected += ((hours.get(hourMs - WEEK_MS) ?? 0) * overlap) / HOUR_MS;
  }
  return expected;
}

/** A key is silent when it usually sends at this hour of the week and has sent nothing for the window. */
export function judgeSilence(key: KeyActivity, now: Date, windowSeconds: number): SilenceVerdict {
  const nowMs = now.getTime();
  const windowMs = windowSeconds * 1000;
  const expected = expectedEvents(key.hours, nowMs, windowMs);
  const quiet = key.lastEventAt === null || key.lastEventAt.getTime() <= nowMs - windowMs;
  return {
    apiKeyId: key.apiKeyId,
    keyPrefix: key.prefix,
    keyName: key.name,
    silent: quiet && expected >= MIN_EXPECTED_EVENTS,
    expectedEvents: expected,
    lastEventAt: key.lastEventAt,
  };
}
