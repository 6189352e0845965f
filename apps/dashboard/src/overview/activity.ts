import { countUnmappedCalls, type Db } from "@anura/db";

export interface Activity {
  eventsByTrigger: { trigger: string; count: number }[];
  recordingsStored: number;
  tasksCreated: number;
  unmappedCalls: number;
}

/** What the pipeline did in the last 24 hours, and what is stuck waiting for a mapping. */
export async function recentActivity(db: Db): Promise<Activity> {
  const sql = db.$client;
  const [eventsByTrigger, [totals], unmappedCalls] = await Promise.all([
    sql<{ trigger: string; count: number }[]>`
      select trigger, count(*)::int as count from anura_events
      where received_at > now() - interval '24 hours'
      group by trigger order by count desc, trigger`,
    // tasks.created_at has no time zone (AuditorIA's column): compare it with local time.
    sql<{ recordings: number; tasks: number }[]>`
      select
        (select count(*)::int from anura_calls where recording_stored_at > now() - interval '24 hours') as recordings,
        (select count(*)::int from tasks
          where task_params->>'source' = 'anura' and created_at > localtimestamp - interval '24 hours') as tasks`,
    countUnmappedCalls(db),
  ]);
  return {
    eventsByTrigger: [...eventsByTrigger],
    recordingsStored: totals?.recordings ?? 0,
    tasksCreated: totals?.tasks ?? 0,
    unmappedCalls,
  };
}
