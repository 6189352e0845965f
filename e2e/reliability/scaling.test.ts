import { closeAll, waitFor } from "@anura/testing";
import { Queue } from "bullmq";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { type RecordedCall, servedCalls } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender, sleep } from "./sender.ts";

const NAME = "8-scaling-2-workers-queue-selection";
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];
let callEvents: Queue;

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME, { env: { CALL_EVENT_CONCURRENCY: "2", RECORDING_FETCH_CONCURRENCY: "2" } }));
  calls = servedCalls(stack.recordings, "scale", 40, 400);
  callEvents = new Queue("call.event", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.QUEUE_PREFIX });
});
afterAll(() => closeAll(callEvents, stack));

it("two workers on the same queues share the load; a recording.fetch-only worker takes nothing else", async () => {
  const [ingester, a, b] = await Promise.all([stack.startIngester(), stack.startWorker(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  const [shared, later] = [calls.slice(0, 30), calls.slice(30)];
  await sender.drive(shared, 100);
  await waitFor(async () => a.logLines("task created").length + b.logLines("task created").length >= shared.length, {
    what: "shared calls done",
    timeoutMs: 45_000,
  });
  for (const worker of [a, b]) {
    expect(worker.logLines("call event recorded").length, worker.name).toBeGreaterThan(0);
    expect(worker.logLines("recording stored").length, worker.name).toBeGreaterThan(0);
  }
  a.kill("SIGTERM");
  b.kill("SIGTERM");
  expect(await Promise.all([a.exited, b.exited])).toEqual([
    { code: 0, signal: null },
    { code: 0, signal: null },
  ]);

  // Alone, a worker told to consume recording.fetch leaves call.event jobs waiting.
  const fetcher = await stack.startWorker({ WORKER_QUEUES: "recording.fetch" });
  expect(fetcher.logLines("worker started")[0]?.queues).toEqual(["recording.fetch"]);
  await sender.drive(later, 50);
  const waiting = later.length * 3;
  // Webhooks that arrive in one event-loop turn travel as one job: count the events the jobs hold.
  const waitingEvents = async () =>
    (await callEvents.getWaiting(0, -1)).reduce((sum, job) => sum + (job.data.batch?.length ?? 1), 0);
  await waitFor(async () => (await waitingEvents()) === waiting, { what: "events queued" });
  await sleep(2000); // long enough for a consumer to have taken some, had it been one
  expect(await waitingEvents()).toBe(waiting);
  expect((await callEvents.getJobCounts("active")).active).toBe(0);
  expect(fetcher.logLines("call event recorded")).toHaveLength(0);

  // With the other queues served elsewhere, the fetch-only worker does the downloads (and their tasks) and nothing else.
  const rest = await stack.startWorker({ WORKER_QUEUES: "call.event,task.create" });
  await expectCompleteEndState(stack, NAME, calls, sender);
  // Its log lines come through a pipe and may trail the database by a moment.
  await waitFor(async () => fetcher.logLines("task created").length >= later.length, { what: "fetcher's task lines" });
  expect(fetcher.logLines("recording stored")).toHaveLength(later.length);
  expect(fetcher.logLines("task created")).toHaveLength(later.length); // a download creates its mapped call's task
  expect(fetcher.logLines("call event recorded")).toHaveLength(0);
  expect(rest.logLines("recording stored")).toHaveLength(0);
  expect(calls.map((call) => stack.recordings.hitsFor(call.path))).toEqual(calls.map(() => 1));
}, 90_000);
