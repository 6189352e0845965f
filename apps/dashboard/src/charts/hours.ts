const HOUR = 3_600_000;

/** A chart's data: one value per hour (null where nothing was measured) for each named series. */
export interface HourlySeries {
  name: string;
  values: (number | null)[];
}

/** The 24 hour starts (epoch ms, UTC) ending with the current hour, oldest first. */
export function last24Hours(now = Date.now()): number[] {
  const current = Math.floor(now / HOUR) * HOUR;
  return Array.from({ length: 24 }, (_, index) => current - (23 - index) * HOUR);
}

/**
 * Spread (hour, key, count) rows over the hours, one series per key; hours without a row count 0.
 * `keys` fixes the order and always shows those series, even when empty. `missing` fills hours
 * without a row: 0 for counts, null for samples (a gap: nothing was measured).
 */
export function countsByKey(
  hours: number[],
  rows: Iterable<{ hour: number; key: string; count: number }>,
  keys: string[] = [],
  missing: 0 | null = 0,
): HourlySeries[] {
  const byKey = new Map<string, (number | null)[]>(keys.map((key) => [key, hours.map(() => missing)]));
  const slot = new Map(hours.map((hour, index) => [hour, index]));
  for (const row of rows) {
    const index = slot.get(Number(row.hour));
    if (index === undefined) continue;
    const values = byKey.get(row.key) ?? hours.map(() => missing);
    values[index] = (values[index] ?? 0) + row.count;
    byKey.set(row.key, values);
  }
  return [...byKey].map(([name, values]) => ({ name, values }));
}

/** One series per field of rows keyed by hour; hours without a row are gaps (null), not zeros. */
export function measuresByHour<T extends { hour: number }>(
  hours: number[],
  rows: Iterable<T>,
  fields: { name: string; value: (row: T) => number }[],
): HourlySeries[] {
  const byHour = new Map<number, T>();
  for (const row of rows) byHour.set(Number(row.hour), row);
  return fields.map(({ name, value }) => ({
    name,
    values: hours.map((hour) => {
      const row = byHour.get(hour);
      return row ? value(row) : null;
    }),
  }));
}

/** "14:00": the hour's label on axes and in tables (UTC, like every time on the dashboard). */
export function hourLabel(hour: number): string {
  return `${new Date(hour).toISOString().slice(11, 13)}:00`;
}
