import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { callEvents, type RecordedCall, servedCalls, shuffled } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "6-2-ingesters-3-workers-dup-shuffled";
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME));
  calls = servedCalls(stack.recordings, "many", 40, 500);
});
afterAll(() => stack?.close());

const SEED = 20260302;

it(`every event delivered twice, shuffled (seed ${SEED}), across 2 ingesters and 3 workers: one of everything per call`, async () => {
  const [first, second] = await Promise.all([
    stack.startIngester(),
    stack.startIngester(),
    stack.startWorker(),
    stack.startWorker(),
    stack.startWorker(),
  ]);
  const sender = new Sender([first.baseUrl, second.baseUrl], key);
  const deliveries = calls.flatMap((call) => [...callEvents(call), ...callEvents(call)]);
  await sender.deliver(shuffled(deliveries, SEED), 12);

  await expectCompleteEndState(stack, NAME, calls, sender);
  // Duplicated ENDs and racing workers still download each recording exactly once.
  expect(calls.map((call) => stack.recordings.hitsFor(call.path))).toEqual(calls.map(() => 1));
  const [{ events }] = await stack.sql<[{ events: number }]>`select count(*)::int as events from anura_events`;
  expect(events).toBe(deliveries.length);
  const workers = stack.processes.filter((p) => p.name.startsWith("worker"));
  for (const worker of workers) expect(worker.logLines("call event recorded").length, worker.name).toBeGreaterThan(0);
}, 90_000);
