import { countUnmappedCalls, type Db, type HourCount } from "@anura/db";
import type { LastDay } from "./hourly-rows-cache.ts";

const DAY = 24 * 3_600_000;

export interface Activity {
  eventsByTrigger: { trigger: string; count: number }[];
  recordingsStored: number;
  tasksCreated: number;
  unmappedCalls: number;
}

/**
 * What the pipeline did in the last 24 hours, and what is stuck waiting for a mapping. The charts'
 * hours hold all but the first part-hour of that day: only that slice is counted here.
 */
export async function recentActivity(db: Db, { now, hours, rows }: LastDay): Promise<Activity> {
  const sql = db.$client;
  const dayStart = new Date(now - DAY).toISOString();
  const firstHour = hours[0] ?? now;
  const sliceEnd = new Date(firstHour).toISOString();
  const [sliceEvents, [slice], unmappedCalls, charted] = await Promise.all([
    sql<{ key: string; count: number }[]>`
      select trigger as key, count(*)::int as count from anura_events
      where received_at > ${dayStart}::timestamptz and received_at < ${sliceEnd}::timestamptz
      group by trigger`,
    // tasks.created_at has no time zone (AuditorIA's column): compare it with local time.
    sql<{ recordings: number; tasks: number }[]>`
      select
        (select count(*)::int from anura_calls
          where recording_stored_at > ${dayStart}::timestamptz and recording_stored_at < ${sliceEnd}::timestamptz) as recordings,
        (select count(*)::int from tasks
          where task_params->>'source' = 'anura'
            and created_at > (${dayStart}::timestamptz at time zone current_setting('TimeZone'))
            and created_at < (${sliceEnd}::timestamptz at time zone current_setting('TimeZone'))) as tasks`,
    countUnmappedCalls(db),
    rows,
  ]);
  const inDay = (row: HourCount) => Number(row.hour) >= firstHour;
  const byTrigger = sumByKey([...sliceEvents, ...charted.events.filter(inDay)]);
  return {
    eventsByTrigger: [...byTrigger]
      .map(([trigger, count]) => ({ trigger, count }))
      .sort((a, b) => b.count - a.count || a.trigger.localeCompare(b.trigger)),
    recordingsStored: (slice?.recordings ?? 0) + total(charted.stored.filter(inDay)),
    tasksCreated: (slice?.tasks ?? 0) + total(charted.tasks.filter(inDay)),
    unmappedCalls,
  };
}

function sumByKey(rows: { key: string; count: number }[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(row.key, (sums.get(row.key) ?? 0) + row.count);
  return sums;
}

const total = (rows: { count: number }[]) => rows.reduce((sum, row) => sum + row.count, 0);
