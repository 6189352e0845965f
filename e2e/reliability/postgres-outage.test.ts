import { closeAll, type FaultProxy, startFaultProxy, waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { type RecordedCall, servedCalls } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender, sleep } from "./sender.ts";

const NAME = "3-postgres-down-20s";
let proxy: FaultProxy;
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  proxy = await startFaultProxy(5432);
  ({ stack, key } = await scenarioStack(NAME));
  calls = servedCalls(stack.recordings, "pg", 45, 1000);
});
afterAll(() => closeAll(stack, proxy));

it("a worker that loses Postgres for 20 s under load finishes every call once it is back", async () => {
  // Only the worker reaches Postgres through the proxy, so the cut hits it alone.
  const viaProxy = new URL(stack.env.DATABASE_URL as string);
  viaProxy.port = String(proxy.port);
  const [ingester, worker] = await Promise.all([stack.startIngester(), stack.startWorker({ DATABASE_URL: viaProxy.toString() })]);
  const sender = new Sender([ingester.baseUrl], key);
  const traffic = sender.drive(calls, 500);

  await waitFor(async () => sender.acked >= 20, { what: "load under way", timeoutMs: 30_000 });
  proxy.setMode("refuse");
  await sleep(20_000); // the outage itself
  proxy.setMode("pass");
  await traffic;

  await expectCompleteEndState(stack, NAME, calls, sender, { timeoutMs: 60_000 });
  expect(worker.logLines("job attempt failed").length).toBeGreaterThan(0);
}, 120_000);
