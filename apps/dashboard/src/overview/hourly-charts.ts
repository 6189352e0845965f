import { type Db, peakWaitingPerHour } from "@anura/db";
import { JOB_NAMES, type Queues } from "@anura/queue";
import { colorsFor } from "../charts/chart-figure.ts";
import type { ChartDrawing } from "../charts/draw-svg.ts";
import { countsByKey, type HourlySeries, measuresByHour } from "../charts/hours.ts";
import { formatDuration } from "../http/html.ts";
import type { LastDay } from "./hourly-rows-cache.ts";

export type Chart = ChartDrawing & { caption?: string };

const TRIGGERS = ["START", "TALK", "END", "RECORDING"];
const GOOD = "#009e73";
const BAD = "#d55e00";
const count = (value: number) => String(Math.round(value));

/** The overview's five charts over the last 24 hours, per hour. */
export async function hourlyCharts(db: Db, queues: Queues, { hours, now, rows }: LastDay): Promise<Chart[]> {
  const since = new Date(hours[0] ?? now);
  const [failed, { events, stored, latency, tasks }, waiting] = await Promise.all([
    failedFetchesPerHour(queues, since).catch(() => null), // Redis down: still chart what Postgres knows
    rows,
    peakWaitingPerHour(db, since),
  ]);
  const eventSeries = countsByKey(hours, events, TRIGGERS);
  const recordingSeries = countsByKey(hours, [...stored, ...(failed ?? [])], ["stored", "failed"]);
  const latencySeries = measuresByHour(hours, latency, [
    { name: "p50", value: (row) => row.p50Ms },
    { name: "p95", value: (row) => row.p95Ms },
  ]);
  const waitingSeries = countsByKey(hours, waiting, JOB_NAMES, null);
  const taskSeries = countsByKey(hours, tasks);
  return [
    bars("Webhook events by trigger", hours, eventSeries),
    {
      ...bars("Recordings stored vs failed downloads", hours, recordingSeries, { stored: GOOD, failed: BAD }),
      caption: failed
        ? "failed: downloads that gave up and have not been retried since"
        : "failed downloads unknown: Redis is unavailable",
    },
    {
      title: "END → task latency",
      caption: "from Anura's END to the pending task, by hour the task was created",
      kind: "lines",
      hours,
      series: latencySeries,
      colors: colorsFor(["p50", "p95"]),
      format: formatDuration,
    },
    {
      title: "Waiting jobs per queue",
      caption: "the most jobs waiting at once in each hour, sampled every minute",
      kind: "lines",
      hours,
      series: waitingSeries,
      colors: colorsFor(JOB_NAMES),
      format: count,
    },
    {
      ...bars("Tasks by AuditorIA status", hours, taskSeries, { completed: GOOD, failed: BAD, error: BAD }),
      caption: "tasks we created, by hour of creation, in the status AuditorIA gives them now (as of at most a minute ago)",
    },
  ];
}

function bars(title: string, hours: number[], series: HourlySeries[], fixed: Record<string, string> = {}): Chart {
  const colors = colorsFor(
    series.map((s) => s.name),
    fixed,
  );
  return { title, kind: "stacked-bars", hours, series, colors, format: count };
}

/** Downloads in the failed sets by the hour they failed (BullMQ scores that set by finish time); newest 5,000 of each partition at most. */
async function failedFetchesPerHour(queues: Queues, since: Date) {
  const perPartition = await Promise.all(
    queues.queuesOf("recording.fetch").map(async (queue) => {
      const client = await queue.backend.client;
      return client.zrevrange(queue.toKey("failed"), 0, 4999, { WITHSCORES: true });
    }),
  );
  const rows: { hour: number; key: string; count: number }[] = [];
  for (const entries of perPartition) {
    for (let index = 1; index < entries.length; index += 2) {
      const finishedAt = Number(entries[index]);
      if (finishedAt < since.getTime()) break;
      rows.push({ hour: Math.floor(finishedAt / 3_600_000) * 3_600_000, key: "failed", count: 1 });
    }
  }
  return rows;
}
