import { Agent } from "node:http";
import { waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { callEvents, type RecordedCall, recordedCalls } from "./calls.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "7b-sigterm-ingester";
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME));
  calls = recordedCalls(stack.recordings, "drain", 30);
  for (const call of calls) stack.recordings.serve(call.path, call.mp3);
});
afterAll(() => stack?.close());

it("SIGTERM with requests in flight: each is answered 202 and kept, then the ingester exits 0", async () => {
  const [ingester] = await Promise.all([stack.startIngester(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  // Anura's side of the connection: kept alive between events, as HTTP clients do.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    for (const call of calls) for (const event of callEvents(call).slice(0, 2)) await sender.post(event);

    // Every END's headers are in when the signal arrives; its body only follows once the ingester began stopping.
    let finish = () => {};
    const rest = new Promise<void>((resolve) => (finish = resolve));
    const ends = calls.map((call) =>
      sender.postInTwoParts(ingester.baseUrl, callEvents(call)[2] as Record<string, unknown>, agent, rest),
    );
    await Promise.all(ends.map((end) => end.received));
    ingester.kill("SIGTERM");
    await waitFor(async () => ingester.logLines("stopping: finishing work in flight").length > 0, { what: "ingester stopping" });
    finish();

    expect(await Promise.all(ends.map((end) => end.answered))).toEqual(calls.map(() => 202));
    expect(await ingester.exited).toEqual({ code: 0, signal: null });
    expect(ingester.logLines("stopped cleanly")).toHaveLength(1);
    await expect(fetch(`${ingester.baseUrl}/webhook/anura/health`)).rejects.toThrow();
  } finally {
    agent.destroy();
  }

  await expectCompleteEndState(stack, NAME, calls, sender);
}, 90_000);
