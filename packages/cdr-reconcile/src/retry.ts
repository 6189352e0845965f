import { setTimeout as sleep } from "node:timers/promises";

export interface RetryPolicy {
  attempts: number;
  /** First delay; doubled each time, ±25 % jitter. */
  baseDelayMs: number;
}

/** Runs `attempt` until it succeeds or `attempts` are spent; each failure but the last goes to `onError` first. */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  onError: (error: unknown, attempt: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      onError(error, n);
      if (n >= policy.attempts) throw error;
      const delay = policy.baseDelayMs * 2 ** (n - 1) * (0.75 + Math.random() * 0.5);
      await sleep(delay);
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}
