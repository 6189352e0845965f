/**
 * The value of one series in a Prometheus text exposition, e.g. `anura_jobs_total{queue="x"}`, or
 * undefined when absent. Whole lines only: `} 1` must not pass for `} 10`.
 */
export function metricValue(exposition: string, series: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
