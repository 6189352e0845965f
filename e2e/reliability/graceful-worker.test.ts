import { workerEnv } from "@anura/config";
import { waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { inFlight, type RecordedCall, servedCalls } from "./calls.ts";
import { databaseNow, expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "7a-sigterm-worker";
const SHUTDOWN_TIMEOUT = 15;
// The lock a deployment gets by default, not the stack's short test lock: the recovery printed is the real one.
const PRODUCTION_LOCK = String(workerEnv.shape.JOB_LOCK_SECONDS.parse(undefined));
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME, {
    env: { SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT), RECORDING_FETCH_CONCURRENCY: "8", JOB_LOCK_SECONDS: PRODUCTION_LOCK },
  }));
  calls = servedCalls(stack.recordings, "term", 36, 2500);
});
afterAll(() => stack?.close());

it("SIGTERM under load: the worker finishes its jobs in flight, exits 0 in time, and the restarted one loses nothing", async () => {
  const [ingester, first] = await Promise.all([stack.startIngester(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  const traffic = sender.drive(calls, 300);

  await waitFor(async () => inFlight.downloads >= 4, { what: "downloads in flight", timeoutMs: 30_000 });
  const storedBefore = first.logLines("recording stored").length;
  const signalled = Date.now();
  const stoppedAt = await databaseNow(stack);
  first.kill("SIGTERM");
  const exit = await first.exited;
  expect(exit).toEqual({ code: 0, signal: null });
  expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_TIMEOUT * 1000);
  expect(first.logLines("stopped cleanly")).toHaveLength(1);
  // The downloads it had started were finished, not abandoned to the stalled-job check.
  expect(first.logLines("recording stored").length).toBeGreaterThan(storedBefore);

  await stack.startWorker();
  const restartedAt = await databaseNow(stack);
  await traffic;
  await expectCompleteEndState(stack, NAME, calls, sender, { stoppedAt, restartedAt });
  expect(calls.map((call) => stack.recordings.hitsFor(call.path))).toEqual(calls.map(() => 1));
}, 90_000);
