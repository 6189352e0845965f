import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { endEvent, type FetchStack, startFetchStack, waitFor } from "./support.ts";

let t: FetchStack;
let connection: Redis;
let events: Queue;

beforeAll(async () => {
  t = await startFetchStack();
  connection = new Redis(t.stack.env.REDIS_URL, { maxRetriesPerRequest: null });
  events = new Queue("call.event", { connection, prefix: t.stack.prefix });
});
afterAll(async () => {
  await events?.close();
  await connection?.quit();
  await t?.close();
});

// Written straight to Redis, as an older version or a hand-made job could: no retry can ever fix it.
it("a job whose payload does not fit its schema fails once, naming the field, and is not retried", async () => {
  await events.add(
    "call.event",
    { eventId: "not-a-uuid", receivedAt: "yesterday", event: { trigger: "END" } },
    {
      jobId: "malformed-1",
      attempts: 5,
    },
  );
  await waitFor(async () => (await events.getJobState("malformed-1")) === "failed", { what: "the malformed job to fail" });
  const job = await events.getJob("malformed-1");
  expect(job?.attemptsMade).toBe(1);
  expect(job?.failedReason).toMatch(/^malformed call\.event job: .*eventId.*receivedAt.*event\.cdrid/);
  const [row] = await t.stack.sql`select count(*)::int as n from anura_events`;
  expect(row?.n).toBe(0);
});

// What the webhook's batcher sends: one job, several events; one of them malformed (an older ingester, a hand edit).
it("a batch merges each of its events, and one malformed event fails alone, under its own id, without its neighbours", async () => {
  const cdrids = ["batch-a", "batch-b", "batch-c"];
  const good = cdrids.map((cdrid) => t.eventJob(endEvent(cdrid, "https://r.example/x.mp3", { wasrecorded: false })));
  const badId = crypto.randomUUID();
  const bad = { eventId: badId, receivedAt: "yesterday", event: { trigger: "END" } };
  await events.add("call.event", { batch: [good[0], bad, good[1], good[2]] }, { jobId: "batch-1", attempts: 5 });

  await waitFor(async () => (await events.getJobState(`evt-${badId}`)) === "failed", {
    what: "the malformed event to fail as a job of its own",
  });
  const alone = await events.getJob(`evt-${badId}`);
  expect(alone?.data).toEqual(bad);
  expect(alone?.failedReason).toMatch(/^malformed call\.event job: .*receivedAt/);
  const stored = await t.stack.sql`select cdrid from anura_events where cdrid in ${t.stack.sql(cdrids)} order by cdrid`;
  expect(stored.map((row) => row.cdrid)).toEqual(cdrids);
  // Completed, and removed at once as every call.event job.
  await waitFor(async () => (await events.getJobState("batch-1")) === "unknown", { what: "the batch to complete" });
});

// A valid event whose merge fails (Postgres refusing its call twice: the batch's one statement, then its
// own merge): it must not fail the batch's other events.
it("a batch's valid event whose merge fails is queued alone under its own id, and merged once on its retry; its neighbours are merged", async () => {
  const sql = t.stack.sql;
  await sql`create sequence flaky_merge`;
  // nextval is not rolled back with the failed insert: the first two attempts fail, the third passes.
  await sql.unsafe(`
    create function fail_first_merge() returns trigger language plpgsql as $$
    begin
      if new.cdrid = 'batch-flaky' and nextval('flaky_merge') <= 2 then raise exception 'injected: Postgres refused the call'; end if;
      return new;
    end $$;
    create trigger fail_first_merge before insert on anura_calls for each row execute function fail_first_merge();`);
  try {
    const cdrids = ["batch-before", "batch-flaky", "batch-after"];
    const jobs = cdrids.map((cdrid) => t.eventJob(endEvent(cdrid, "https://r.example/x.mp3", { wasrecorded: false })));
    const flakyId = jobs[1]?.eventId;
    await events.add("call.event", { batch: jobs }, { jobId: "batch-2", attempts: 5 });

    await waitFor(async () => (await sql`select count(*)::int as n from anura_calls where cdrid = 'batch-flaky'`)[0]?.n === 1, {
      what: "the flaky call to be stored by its own job",
    });
    const stored =
      await sql`select cdrid, count(*)::int as n from anura_events where cdrid in ${sql(cdrids)} group by cdrid order by cdrid`;
    expect(stored.map((row) => `${row.cdrid} ${row.n}`)).toEqual(["batch-after 1", "batch-before 1", "batch-flaky 1"]);
    const calls = await sql`select cdrid from anura_calls where cdrid in ${sql(cdrids)} order by cdrid`;
    expect(calls.map((row) => row.cdrid)).toEqual(["batch-after", "batch-before", "batch-flaky"]);
    const oneByOne = t.logs.filter((line) => line.includes("batch could not be merged at once"));
    expect(oneByOne.filter((line) => line.includes("batch-2"))).toHaveLength(1);
    const requeued = t.logs.filter((line) => line.includes("event of a batch failed: queued alone"));
    expect(requeued.filter((line) => line.includes(`${flakyId}`))).toHaveLength(1);
    expect(requeued.filter((line) => line.includes("injected: Postgres refused the call"))).toHaveLength(1);
    expect((await sql`select last_value::int as n from flaky_merge`)[0]?.n).toBe(3);
    // Completed (and removed at once), not failed: the failing event left it.
    await waitFor(async () => (await events.getJobState("batch-2")) === "unknown", { what: "the batch to complete" });
  } finally {
    await sql.unsafe(
      "drop trigger fail_first_merge on anura_calls; drop function fail_first_merge(); drop sequence flaky_merge;",
    );
  }
});
