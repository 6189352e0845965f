import { Writable } from "node:stream";
import { createDb, type DbHandle, hourlyRows } from "@anura/db";
import { createLogger } from "@anura/logger";
import { connectQueues, type QueueConnection, waitUntilReady } from "@anura/queue";
import { closeAll, createTestDatabase, freePort, TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recentActivity } from "../src/overview/activity.ts";
import { hourlyCharts } from "../src/overview/hourly-charts.ts";
import { HourlyRowsCache, type LastDay } from "../src/overview/hourly-rows-cache.ts";

const HOUR = 3_600_000;
const log = createLogger({ name: "hourly-rows-test", level: "silent" });

let database: { url: string; drop: () => Promise<void> };
let handle: DbHandle;
let connection: QueueConnection;

// 400 calls spread over the last 25 hours (the oldest fall outside the day): three events each, most
// recorded, most with a task in one of three AuditorIA statuses, created 50–59 s after the call.
async function seedDay(sql: DbHandle["sql"]) {
  await sql.unsafe(`
    create temporary table seeded as
      select i, 'c-' || i as cdrid, now() - (i::float8 / 400) * interval '25 hours' as at from generate_series(0, 399) as i;
    insert into anura_calls (cdrid, state, recording_stored_at, task_uuid, created_at, updated_at)
      select cdrid, '{}'::jsonb, case when i % 5 <> 0 then at + interval '30 seconds' end,
             case when i % 7 <> 0 then md5(cdrid)::uuid::text end, at, at
      from seeded;
    insert into tasks (uuid, status, task_params, created_at, updated_at)
      select md5(cdrid)::uuid::text, (array['pending', 'completed', 'failed'])[i % 3 + 1], json_build_object('source', 'anura'),
             (at + interval '50 seconds' + (i % 10) * interval '1 second') at time zone current_setting('TimeZone'),
             localtimestamp
      from seeded where i % 7 <> 0;
    insert into anura_events (id, cdrid, trigger, received_at, payload)
      select md5(cdrid || t)::uuid, cdrid, t, at + n * interval '20 seconds', jsonb_build_object('cdrid', cdrid)
      from seeded, (values (0, 'START'), (1, 'TALK'), (2, 'END')) as e(n, t);
    drop table seeded;`);
}

/** The same day read straight from Postgres, as the overview did before it kept complete hours. */
function freshDay(now = Date.now()): LastDay {
  const since = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
  const hours = Array.from({ length: 24 }, (_, index) => since + index * HOUR);
  return { now, hours, rows: hourlyRows(handle.db, { since: new Date(since) }) };
}

/** The 24-hour totals straight from Postgres: the queries the totals ran before. */
async function freshTotals() {
  const events = await handle.sql<{ trigger: string; count: number }[]>`
    select trigger, count(*)::int as count from anura_events where received_at > now() - interval '24 hours'
    group by trigger order by count desc, trigger`;
  const [row] = await handle.sql<{ recordings: number; tasks: number }[]>`
    select (select count(*)::int from anura_calls where recording_stored_at > now() - interval '24 hours') as recordings,
           (select count(*)::int from tasks where task_params->>'source' = 'anura'
              and created_at > localtimestamp - interval '24 hours') as tasks`;
  return { eventsByTrigger: [...events], recordingsStored: row?.recordings, tasksCreated: row?.tasks };
}

/** What half a minute does to the stored complete hours: too old for another dashboard to take. */
const ageStoredRollup = () => handle.sql`update overview_hourly_rollup set read_at = read_at - interval '31 seconds'`;

const chartsOf = (day: LastDay) => hourlyCharts(handle.db, connection.queues, day);
const tableOf = async (day: LastDay, title: string) => (await chartsOf(day)).find((chart) => chart.title === title)?.series;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb(database.url, { max: 4 });
  connection = connectQueues(
    { url: TEST_REDIS_URL, clusterNodes: undefined, queuePrefix: uniquePrefix("hourly"), queuePartitions: 1 },
    () => {},
  );
  await waitUntilReady(connection.redis);
  await seedDay(handle.sql);
});

afterAll(() => closeAll(connection, handle, database));

describe("the overview's hourly charts from kept complete hours", () => {
  it("draw the same five charts and the same 24-hour totals as a fresh read of the whole day", async () => {
    const cache = new HourlyRowsCache(handle.db, log);
    await cache.refresh();
    const now = Date.now();
    const kept = cache.lastDay(now);
    expect(await chartsOf(kept)).toEqual(await chartsOf(freshDay(now)));
    const totals = await recentActivity(handle.db, kept);
    expect(totals).toMatchObject(await freshTotals());
    expect(totals.tasksCreated).toBeGreaterThan(250); // the seed reached the totals: this compares something
  });

  it("show a new event of the running hour at once, without waiting for the next refresh", async () => {
    const cache = new HourlyRowsCache(handle.db, log);
    await cache.refresh();
    const endsNow = async () =>
      (await tableOf(cache.lastDay(), "Webhook events by trigger"))?.find((series) => series.name === "END")?.values.at(-1);
    const before = await endsNow();
    await handle.sql`
      insert into anura_events (id, cdrid, trigger, received_at, payload)
      values (gen_random_uuid(), 'new-call', 'END', now(), '{}'::jsonb)`;
    expect(await endsNow()).toBe((before ?? 0) + 1);
    expect((await recentActivity(handle.db, cache.lastDay())).eventsByTrigger).toEqual((await freshTotals()).eventsByTrigger);
  });

  it("show a task's new status in a complete hour after the next refresh (at most a minute later)", async () => {
    const cache = new HourlyRowsCache(handle.db, log);
    await cache.refresh();
    const title = "Tasks by AuditorIA status";
    const [task] = await handle.sql<{ uuid: string }[]>`
      select uuid from tasks where status = 'pending' and created_at < localtimestamp - interval '3 hours' limit 1`;
    await handle.sql`update tasks set status = 'completed' where uuid = ${task?.uuid ?? ""}`;
    expect(await tableOf(cache.lastDay(), title)).not.toEqual(await tableOf(freshDay(), title));
    await ageStoredRollup(); // half a minute on: the stored complete hours are too old to take again
    await cache.refresh();
    expect(await tableOf(cache.lastDay(), title)).toEqual(await tableOf(freshDay(), title));
  });

  it("count an event stored late for the last complete hour after the next refresh", async () => {
    const cache = new HourlyRowsCache(handle.db, log);
    await cache.refresh();
    const lastHour = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR / 2).toISOString();
    await handle.sql`
      insert into anura_events (id, cdrid, trigger, received_at, payload)
      values (gen_random_uuid(), 'late-call', 'TALK', ${lastHour}::timestamptz, '{}'::jsonb)`; // a backlog drained late
    const title = "Webhook events by trigger";
    expect(await tableOf(cache.lastDay(), title)).not.toEqual(await tableOf(freshDay(), title));
    await ageStoredRollup();
    await cache.refresh();
    expect(await tableOf(cache.lastDay(), title)).toEqual(await tableOf(freshDay(), title));
  });

  it("read the hour that just ended live until the next refresh, once the hour turns", async () => {
    const cache = new HourlyRowsCache(handle.db, log);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() - HOUR); // kept an hour ago: the running hour then is complete now
      await cache.refresh();
    } finally {
      vi.useRealTimers();
    }
    const now = Date.now();
    expect(await chartsOf(cache.lastDay(now))).toEqual(await chartsOf(freshDay(now)));
  });

  it("take the complete hours another dashboard read less than half a minute ago, instead of reading the day again", async () => {
    await ageStoredRollup();
    const first = await new HourlyRowsCache(handle.db, log).refresh();
    const started = new HourlyRowsCache(handle.db, log);
    expect((await started.refresh()).readAt).toEqual(first.readAt);
    const now = Date.now();
    expect(await chartsOf(started.lastDay(now))).toEqual(await chartsOf(freshDay(now)));
  });

  it("aggregate the day once when several dashboards refresh together", async () => {
    await ageStoredRollup();
    const replicas = [1, 2, 3].map(() => new HourlyRowsCache(handle.db, log));
    const reads: Promise<{ readAt: Date }>[] = [];
    // Hold the rollup's lock (and its row) while the three start, 20 ms apart: each would stamp its own read with its start.
    await handle.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(7405561, 24)`;
      await tx`select 1 from overview_hourly_rollup for update`;
      for (const replica of replicas) {
        reads.push(replica.refresh());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    const stamps = (await Promise.all(reads)).map((read) => read.readAt.getTime());
    expect(new Set(stamps).size).toBe(1); // the first read the day, the other two took what it stored
  });

  it("share one read of the complete hours between pages that ask together", async () => {
    const cache = new HourlyRowsCache(handle.db, log);
    const first = cache.refresh();
    expect(cache.refresh()).toBe(first);
    await first;
    expect(cache.refresh()).not.toBe(first); // a finished read is not reused as a running one
  });

  it("warn once while Postgres stays down, not at every refresh", async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const down = createDb(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1 });
    const cache = new HourlyRowsCache(down.db, createLogger({ name: "t", level: "debug", destination: sink }), 40).start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // some fifteen refreshes, every 20 ms
      const notRefreshed = lines.filter((line) => line.msg.includes("complete hours not refreshed"));
      expect(notRefreshed.length).toBeGreaterThan(3);
      expect(notRefreshed.filter((line) => line.level >= 40)).toHaveLength(1);
    } finally {
      await cache.stop();
      await down.close();
    }
  });
});
