import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FetchStack, startFetchStack, waitFor } from "./support.ts";

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
