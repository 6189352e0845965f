/** Delay before the next attempt: the configured schedule, its last step repeated, with ±20% jitter. */
export function recordingRetryDelayMs(attemptsMade: number, delaysSeconds: number[], retryAfterMs?: number): number {
  const step = delaysSeconds[Math.min(Math.max(attemptsMade - 1, 0), delaysSeconds.length - 1)] ?? 60;
  const scheduled = step * 1000 * (0.8 + Math.random() * 0.4);
  return Math.round(Math.max(scheduled, retryAfterMs ?? 0));
}

/** Retry-After as milliseconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
