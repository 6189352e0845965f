import { workerEnv } from "@anura/config";
import { waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { inFlight, type RecordedCall, servedCalls } from "./calls.ts";
import { databaseNow, expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "1-worker-kill-9";
// The lock a deployment gets by default, not the stack's short test lock: the recovery printed is the real one.
const PRODUCTION_LOCK = String(workerEnv.shape.JOB_LOCK_SECONDS.parse(undefined));
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME, { env: { RECORDING_FETCH_CONCURRENCY: "8", JOB_LOCK_SECONDS: PRODUCTION_LOCK } }));
  // Two seconds a download: whenever the worker dies, some downloads and uploads are half done.
  calls = servedCalls(stack.recordings, "kill", 40, 2000);
});
afterAll(() => stack?.close());

it("a worker killed with SIGKILL mid-download loses nothing and duplicates nothing once restarted", async () => {
  const ingester = await stack.startIngester();
  const first = await stack.startWorker();
  const sender = new Sender([ingester.baseUrl], key);
  const traffic = sender.drive(calls, 250);

  await waitFor(async () => inFlight.downloads >= 6, { what: "downloads in flight", timeoutMs: 30_000 });
  const stoppedAt = await databaseNow(stack);
  first.kill("SIGKILL");
  expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
  const second = await stack.startWorker();
  const restartedAt = await databaseNow(stack);
  await traffic;

  await expectCompleteEndState(stack, NAME, calls, sender, { stoppedAt, restartedAt });
  // The interrupted downloads were started again by the new process, from the beginning.
  expect(calls.filter((call) => stack.recordings.hitsFor(call.path) > 1).length).toBeGreaterThan(0);
  expect(second.logLines("recording stored").length).toBeGreaterThan(0);
}, 90_000);
