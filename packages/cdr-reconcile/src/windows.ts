/** How far one window reaches past the last: a long outage is caught up in windows of at most an hour. */
export const MAX_WINDOW_MS = 60 * 60 * 1000;

export interface WindowRules {
  settleMs: number;
  overlapMs: number;
  maxWindowMs: number;
}

export interface PlannedWindow {
  startsAt: Date;
  endsAt: Date;
  /** CDRs dialled before this were checked by the previous window (the overlap): not counted as confirmed again. */
  newFrom: Date;
}

/**
 * The next window: from `overlap` before the end of the last successful one to at most maxWindowMs
 * past that end, never later than now − settle; the first one ever looks back `overlap` from now.
 * Null when caught up (less than a second to check).
 */
export function nextWindow(reconciledUntil: Date | null, now: number, rules: WindowRules): PlannedWindow | null {
  const latestEnd = now - rules.settleMs;
  if (!reconciledUntil) {
    const startsAt = new Date(Math.min(now - rules.overlapMs, latestEnd - 60_000));
    return { startsAt, endsAt: new Date(latestEnd), newFrom: startsAt };
  }
  const cursor = reconciledUntil.getTime();
  const endsAt = Math.min(latestEnd, cursor + rules.maxWindowMs);
  if (endsAt - cursor < 1000) return null;
  return { startsAt: new Date(cursor - rules.overlapMs), endsAt: new Date(endsAt), newFrom: reconciledUntil };
}
