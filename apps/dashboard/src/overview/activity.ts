import type { DbHandle } from "@anura/db";

export interface Activity {
  eventsByTrigger: { trigger: string; count: number }[];
  recordingsStored: number;
  tasksCreated: number;
  unmappedCalls: number;
}

/** What the pipeline did in the last 24 hours, and what is stuck waiting for a mapping. */
export async function recentActivity(sql: DbHandle["sql"]): Promise<Activity> {
  const [eventsByTrigger, [totals]] = await Promise.all([
    sql<{ trigger: string; count: number }[]>`
      select trigger, count(*)::int as count from anura_events
      where received_at > now() - interval '24 hours'
      group by trigger order by count desc, trigger`,
    // tasks.created_at has no time zone (AuditorIA's column): compare it with local time.
    sql<{ recordings: number; tasks: number; unmapped: number }[]>`
      select
        (select count(*)::int from anura_calls where recording_stored_at > now() - interval '24 hours') as recordings,
        (select count(*)::int from tasks
          where task_params->>'source' = 'anura' and created_at > localtimestamp - interval '24 hours') as tasks,
        (select count(*)::int from anura_calls where unmapped_reason is not null and task_uuid is null) as unmapped`,
  ]);
  return {
    eventsByTrigger: [...eventsByTrigger],
    recordingsStored: totals?.recordings ?? 0,
    tasksCreated: totals?.tasks ?? 0,
    unmappedCalls: totals?.unmapped ?? 0,
  };
}
