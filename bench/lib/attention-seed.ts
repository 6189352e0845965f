import { connectQueues, waitUntilReady } from "@anura/queue";
import { UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type postgres from "postgres";

// Calls spread over the last 24 hours, per thousand: 10 unmapped, 5 with END "recorded" but no link,
// 3 still without their recording (half failed for good in BullMQ, half waiting to retry), 10 tasks
// left pending for hours, 2 failed in AuditorIA, 20 pending but recent; the rest transcribed.
const MIX = `
  case when m < 10 then 'unmapped' when m < 15 then 'no_link' when m < 18 then 'awaiting'
       when m < 28 then 'stalled' when m < 30 then 'failed' when m < 50 then 'pending' else 'done' end`;

export interface AttentionSeed {
  calls: number;
  /** Calls awaiting their recording, each with a recording.fetch job (failed or delayed). */
  awaiting: string[];
}

/** Insert `calls` calls of the last day (with their tasks, and three events each when `events`), in batches. */
export async function seedAttentionCalls(sql: postgres.Sql, calls: number, options: { events: boolean }): Promise<AttentionSeed> {
  const BATCH = 50_000;
  for (let from = 0; from < calls; from += BATCH) {
    const to = Math.min(calls, from + BATCH) - 1;
    await sql.unsafe(`
      with c as (
        select i, 'bench-' || i as cdrid, ${MIX} as kind,
               now() - (i::float8 / ${calls}) * interval '24 hours' as at
        from (select i, i % 1000 as m from generate_series(${from}, ${to}) as i) s
      )
      insert into anura_calls (cdrid, state, facts, version, recording_ready, recording_link_missing, campaign_id, operator_id, unmapped_reason,
                               recording_key, recording_stored_at, task_uuid, created_at, updated_at)
      select cdrid,
             jsonb_build_object('cdrid', cdrid, 'ended', true, 'wasrecorded', true, 'triggers', '["START","TALK","END"]'::jsonb,
               'accounttags', case when kind = 'unmapped' then 'campaign_999' else 'campaign_1' end,
               'recordingUrl', case when kind = 'no_link' then null else 'http://127.0.0.1:9/rec/' || cdrid || '.mp3' end),
             null, 1, kind not in ('no_link'), kind = 'no_link',
             case when kind = 'unmapped' then null else 1 end, 300,
             case when kind = 'unmapped' then 'campaign' end,
             case when kind in ('no_link', 'awaiting') then null else 'anura/anura_' || cdrid || '.mp3' end,
             case when kind in ('no_link', 'awaiting') then null else at + interval '5 seconds' end,
             case when kind in ('unmapped', 'no_link', 'awaiting') then null else md5(cdrid)::uuid::text end,
             at, at + interval '5 seconds'
      from c`);
    await sql.unsafe(`
      with c as (
        select 'bench-' || i as cdrid, ${MIX} as kind, (i::float8 / ${calls}) * interval '24 hours' as age
        from (select i, i % 1000 as m from generate_series(${from}, ${to}) as i) s
      )
      insert into tasks (uuid, status, file_name, url, language, task_type, task_params, error, created_at, updated_at)
      select md5(cdrid)::uuid::text,
             case kind when 'stalled' then 'pending' when 'pending' then 'pending' when 'failed' then 'failed' else 'completed' end,
             'anura_' || cdrid || '.mp3', 'anura/anura_' || cdrid || '.mp3', 'es', 'full_process',
             json_build_object('source', 'anura', 'call_id', cdrid, 'language', 'es', 'task', 'transcribe'),
             case when kind = 'failed' then 'audio could not be decoded' end,
             -- "pending" are the last half hour's tasks: AuditorIA has not reached them yet, which is normal.
             localtimestamp - case when kind = 'pending' then age / 48 else age end,
             localtimestamp - case when kind = 'pending' then age / 48 else age / 2 end
      from c where kind not in ('unmapped', 'no_link', 'awaiting')`);
    if (options.events) await seedEvents(sql, calls, from, to);
  }
  await sql`analyze anura_calls`;
  await sql`analyze tasks`;
  if (options.events) await sql`analyze anura_events`;
  const rows = await sql<{ cdrid: string }[]>`
    select cdrid from anura_calls where recording_ready and recording_stored_at is null order by cdrid`;
  return { calls, awaiting: rows.map((row) => row.cdrid) };
}

/** Give each awaiting call its recording.fetch job: every other one failed for good, the rest delayed (retrying). */
export async function seedFetchJobs(redisUrl: string, prefix: string, cdrids: string[]): Promise<void> {
  const connection = connectQueues({ url: redisUrl, clusterNodes: undefined, queuePrefix: prefix, queuePartitions: 1 }, () => {});
  const hourAgo = Date.now() - 2 * 3_600_000;
  const failing = cdrids.filter((_, index) => index % 2 === 0);
  const retrying = cdrids.filter((_, index) => index % 2 === 1);
  const queue = connection.queues.queues["recording.fetch"];
  try {
    await waitUntilReady(connection.redis); // a producer connection refuses commands until it is connected
    for (const cdrid of retrying) {
      await connection.queues.enqueue("recording.fetch", { cdrid }, { delay: 3_600_000, timestamp: hourAgo });
    }
    for (const cdrid of failing) await connection.queues.enqueue("recording.fetch", { cdrid }, { timestamp: hourAgo });
    const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    // The failed ones fail as a download past its horizon does: UnrecoverableError with a reason.
    const worker = new Worker(
      "recording.fetch",
      async () => {
        throw new UnrecoverableError("gave up after 24 h (RECORDING_RETRY_HORIZON): recording host answered 404");
      },
      { connection: workerConnection, prefix, concurrency: 50 },
    );
    const deadline = Date.now() + 60_000;
    while ((await queue.getFailedCount()) < failing.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await worker.close();
    workerConnection.disconnect();
    const failed = await queue.getFailedCount();
    if (failed < failing.length) throw new Error(`only ${failed} of ${failing.length} seeded downloads failed in time`);
  } finally {
    await connection.close();
  }
}

// Each event's insert trigger takes the call's advisory lock until the statement commits: a few
// thousand per statement stay well inside the lock table Postgres shares between all sessions.
const EVENT_BATCH = 1_000;

/** START, TALK and END for calls from..to, 20 s apart. */
async function seedEvents(sql: postgres.Sql, calls: number, from: number, to: number): Promise<void> {
  for (let first = from; first <= to; first += EVENT_BATCH) {
    const last = Math.min(to, first + EVENT_BATCH - 1);
    await sql.unsafe(`
      insert into anura_events (id, cdrid, trigger, received_at, payload)
      select md5(cdrid || t)::uuid, cdrid, t, at + (n * interval '20 seconds'), jsonb_build_object('cdrid', cdrid, 'trigger', t)
      from (select 'bench-' || i as cdrid, now() - (i::float8 / ${calls}) * interval '24 hours' as at
            from generate_series(${first}, ${last}) as i) c,
           (values (0, 'START'), (1, 'TALK'), (2, 'END')) as e(n, t)`);
  }
}
