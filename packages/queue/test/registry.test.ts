import { type CallEvent, taskIdFor } from "@anura/call-domain";
import { describe, expect, it } from "vitest";
import { jobIdFor, jobRegistry } from "../src/index.ts";
import { testQueues } from "./test-queues.ts";

const redis = testQueues("registry");

const event: CallEvent = {
  trigger: "END",
  cdrid: "1234567890",
  dialtime: null,
  direction: "inbound",
  calling: null,
  called: null,
  status: null,
  duration: 120,
  billseconds: null,
  price: null,
  wasrecorded: true,
  recordingUrl: "https://x/1.mp3",
  accounttags: "campaign_1",
  queueagentname: null,
  queueagentextension: "300",
  answerextension: null,
  hookid: null,
  tenantid: null,
  accountid: null,
  extra: { custom: "kept" },
};

describe("the job registry", () => {
  it("gives each job an id from what it is about, so the same work is queued once however often it is asked for", async () => {
    for (let i = 0; i < 3; i++) await redis.queues.enqueue("recording.fetch", { cdrid: "1234567890" });
    expect(await redis.queues.queues["recording.fetch"].getJobCounts("waiting")).toEqual({ waiting: 1 });
    const [job] = await redis.queues.queues["recording.fetch"].getJobs(["waiting"]);
    expect(job?.id).toBe(`fetch-${taskIdFor("1234567890")}`);
    expect(job?.id).toBe(jobIdFor("recording.fetch", { cdrid: "1234567890" }));
  });

  it("refuses to queue a payload that does not fit its schema, saying which field", async () => {
    const bad = {
      eventId: crypto.randomUUID(),
      receivedAt: new Date().toISOString(),
      event: { ...event, cdrid: "x".repeat(37) },
    };
    await expect(redis.queues.enqueue("call.event", bad)).rejects.toThrow(/cdrid/);
    expect(await redis.queues.queues["call.event"].getJobCounts("waiting")).toEqual({ waiting: 0 });
  });

  it("stores a call event exactly as the ingester normalised it: no field added or dropped", async () => {
    const eventId = crypto.randomUUID();
    const full = { eventId, receivedAt: new Date().toISOString(), event };
    await redis.queues.enqueue("call.event", full);
    const job = await redis.queues.queues["call.event"].getJob(jobIdFor("call.event", { eventId }));
    expect(job?.data).toEqual(full);
    expect(JSON.stringify(job?.data).length).toBe(JSON.stringify(full).length);
  });

  it("finds every rerun of an event by the id pattern personal-data forget scans for, and no other event's", async () => {
    const reruns = jobRegistry["call.event"].rerun;
    const [mine, other] = [crypto.randomUUID(), crypto.randomUUID()];
    const job = (eventId: string) => ({ eventId, receivedAt: new Date().toISOString(), event });
    const queued: string[] = [];
    for (const purpose of reruns.purposes) {
      for (const eventId of [mine, other]) {
        const jobId = reruns.id({ eventId }, purpose);
        await redis.queues.enqueue("call.event", job(eventId), { jobId });
        if (eventId === mine) queued.push(jobId);
      }
    }
    const queue = redis.queues.queues["call.event"];
    const found: string[] = [];
    for (const purpose of reruns.purposes) {
      // The whole keyspace, as forget scans it: the shared test Redis holds other files' keys too.
      const match = queue.toKey(reruns.idPattern({ eventId: mine }, purpose));
      for await (const keys of redis.connection.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) {
        found.push(...keys.map((key) => key.slice(queue.toKey("").length)).filter((id) => !id.includes(":")));
      }
    }
    expect(found.sort()).toEqual(queued.sort());
    expect(queued).toHaveLength(reruns.purposes.length);
  });
});
