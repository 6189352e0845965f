import { closeAll, type FaultProxy, startFaultProxy, waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { type RecordedCall, servedCalls } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender, sleep } from "./sender.ts";

const NAME = "5-s3-faults";
let proxy: FaultProxy;
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME));
  proxy = await startFaultProxy(Number(new URL(stack.s3.endpoint).port));
  calls = servedCalls(stack.recordings, "s3", 40, 1000);
});
afterAll(() => closeAll(stack, proxy));

it("uploads failing for a while (refused, garbage, 500s) end with every recording stored once, byte for byte", async () => {
  // Only the worker reaches S3 through the proxy; the test reads the bucket directly.
  const [ingester, worker] = await Promise.all([
    stack.startIngester(),
    stack.startWorker({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` }),
  ]);
  const sender = new Sender([ingester.baseUrl], key);
  const traffic = sender.drive(calls, 400);

  await waitFor(async () => worker.logLines("recording stored").length >= 5, { what: "uploads under way", timeoutMs: 30_000 });
  proxy.setMode("refuse");
  await sleep(8000);
  proxy.setMode("garbage");
  await sleep(3000);
  proxy.setMode("error500");
  await sleep(3000);
  proxy.setMode("pass");
  await traffic;

  await expectCompleteEndState(stack, NAME, calls, sender);
  expect(proxy.faults.refused).toBeGreaterThan(0);
  expect(proxy.faults.garbage).toBeGreaterThan(0);
  expect(proxy.faults.error500).toBeGreaterThan(0);
}, 90_000);
