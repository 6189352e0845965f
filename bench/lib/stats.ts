export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Median of per-round ratios a[i] / b[i]: rounds were interleaved, so each pair shared the machine's mood. */
export function pairedRatio(a: number[], b: number[]): number {
  return median(a.map((value, i) => value / (b[i] as number)));
}

/** The table's project, baseline and ratio columns from interleaved rounds: medians and the paired ratio. */
export function compareRounds(project: number[], baseline: number[]) {
  return { project: median(project), baseline: median(baseline), ratio: pairedRatio(project, baseline) };
}
