import { waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { drip, failWith, type RecordedCall, recordedCalls, resetMidway } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender, sleep } from "./sender.ts";

const NAME = "4-recording-host-faults";
type HostMode = "slow" | "error500" | "reset";
let mode: HostMode = "slow";
const served: Record<HostMode, number> = { slow: 0, error500: 0, reset: 0 };
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME));
  calls = recordedCalls(stack.recordings, "host", 40);
  // The host's behaviour changes over time, for every recording at once, as an outage would.
  for (const call of calls) {
    const behaviours = { slow: drip(call.mp3, 1500), error500: failWith(500), reset: resetMidway(call.mp3) };
    stack.recordings.route(call.path, (req, res, hit) => {
      served[mode]++;
      return behaviours[mode](req, res, hit);
    });
  }
});
afterAll(() => stack?.close());

it("a recording host that is slow, then answers 500, then resets connections, still yields every recording once", async () => {
  const [ingester] = await Promise.all([stack.startIngester(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  const traffic = sender.drive(calls, 400);

  await waitFor(async () => served.slow >= 8, { what: "slow downloads under way", timeoutMs: 30_000 });
  mode = "error500";
  await sleep(6000);
  mode = "reset";
  await sleep(6000);
  mode = "slow";
  await traffic;

  await expectCompleteEndState(stack, NAME, calls, sender);
  expect(served.error500).toBeGreaterThan(0);
  expect(served.reset).toBeGreaterThan(0);
}, 90_000);
