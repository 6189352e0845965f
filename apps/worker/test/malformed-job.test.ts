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
