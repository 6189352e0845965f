import { waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { type RecordedCall, servedCalls } from "./calls.ts";
import { writeCheckRow } from "./check-row.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "12-personal-data-scrub";
// About 4 s: the sweeper scrubs calls while their later events and downloads are still arriving.
const RETENTION_DAYS = 4 / 86_400;
let stack: ProcessStack;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME, {
    env: { PERSONAL_DATA_RETENTION_DAYS: String(RETENTION_DAYS), SWEEP_INTERVAL: "0.5" },
  }));
  calls = servedCalls(stack.recordings, "pd", 30, 1500);
});
afterAll(() => stack?.close());

it("calls scrubbed by the sweeper mid-flight still finish, once each, and keep no phone number", async () => {
  const [ingester, worker] = await Promise.all([stack.startIngester(), stack.startWorker()]);
  const sender = new Sender([ingester.baseUrl], key);
  await sender.drive(calls, 300);

  await expectCompleteEndState(stack, NAME, calls, sender);
  await waitFor(
    async () => {
      const [row] = await stack.sql<[{ n: number }]>`select count(*)::int as n from anura_calls where scrubbed_at is not null`;
      return row.n === calls.length;
    },
    { what: "every call scrubbed by the sweeper", timeoutMs: 30_000 },
  );
  const [left] = await stack.sql<[{ events: number; calls: number }]>`
    select (select count(*)::int from anura_events where payload::text like '%54911%') as events,
           (select count(*)::int from anura_calls c where to_jsonb(c)::text like '%54911%') as calls`;
  expect(left).toEqual({ events: 0, calls: 0 });
  const scrubbedBySweeper = worker.logLines("sweep done").reduce((sum, line) => sum + Number(line.scrubbed ?? 0), 0);
  expect(scrubbedBySweeper).toBe(calls.length);
  await writeCheckRow({
    scenario: NAME,
    check: `${calls.length} calls scrubbed by the sweeper while in flight`,
    result: `${scrubbedBySweeper} scrubbed; 0 numbers left; every call logged, stored and tasked once`,
  });
}, 120_000);
