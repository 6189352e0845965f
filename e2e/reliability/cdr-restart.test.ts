import { taskIdFor } from "@anura/call-domain";
import { type AnuraStandIn, startAnuraStandIn } from "@anura/dev-anura-api";
import { closeAll, generateMp3, waitFor } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ProcessStack, startProcessStack } from "../support/index.ts";

// A worker killed with SIGKILL in the middle of a CDR window: the next worker checks the window again
// from the stored cursor, and every lost call still ends as one call, one call log and one task.

const CALLS = 60;
let stack: ProcessStack;
let standIn: AnuraStandIn;
const cdrids: string[] = [];

beforeAll(async () => {
  // 150 ms per recording link, two at a time: a window of 60 lost calls takes about 4.5 s.
  standIn = await startAnuraStandIn({ clientId: "restart-client", clientSecret: "restart-secret", linkLatencyMs: 150 });
  stack = await startProcessStack({
    env: {
      ...standIn.env,
      ANURA_CDR_POLL_SECONDS: "1",
      ANURA_CDR_SETTLE_SECONDS: "1",
      ANURA_CDR_OVERLAP_SECONDS: "300",
      ANURA_DEFAULT_CAMPAIGN_ID: "1",
      ANURA_DEFAULT_OPERATOR_ID: "300",
    },
  });
  await stack.createCampaign(1, "Ventas");
  cdrids.push(...lostCalls("restart", 60_000));
});

/** CALLS recorded calls only Anura's CDR list knows of (their webhooks were lost), dialled `agoMs` ago. */
function lostCalls(label: string, agoMs: number): string[] {
  const mp3 = generateMp3(1);
  const suffix = Date.now().toString(36);
  return Array.from({ length: CALLS }, (_, i) => {
    const cdrid = `${label}-${i}-${suffix}`;
    const recordingUrl = stack.recordings.serve(`/recordings/${cdrid}.mp3`, mp3);
    standIn.addCdr({ id: cdrid, dialTime: Date.now() - agoMs + i, status: "ANSWER", duration: 10, billSeconds: 9, recordingUrl });
    return cdrid;
  });
}
afterAll(() => closeAll(stack, standIn));

const count = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;

it("a worker killed mid-window: the window is checked again, and each lost call becomes exactly one task", async () => {
  const first = await stack.startWorker();
  await waitFor(async () => (await count(stack.sql`select count(*)::int as n from anura_calls where source = 'cdr'`)) >= 10, {
    what: "the first recovered calls",
    timeoutMs: 60_000,
  });
  const recoveredAtKill = await count(stack.sql`select count(*)::int as n from anura_calls where source = 'cdr'`);
  first.kill("SIGKILL");
  await first.exited;
  expect(recoveredAtKill).toBeLessThan(CALLS); // killed in the middle of the window
  const running = await count(stack.sql`select count(*)::int as n from anura_cdr_windows where status = 'running'`);
  expect(running).toBe(1);

  await stack.startWorker();
  await waitFor(
    async () =>
      (await count(stack.sql`select count(*)::int as n from tasks where uuid = any(${cdrids.map(taskIdFor)})`)) === CALLS,
    { what: `${CALLS} tasks`, timeoutMs: 90_000 },
  );
  expect(await count(stack.sql`select count(*)::int as n from anura_calls where cdrid = any(${cdrids}) and source = 'cdr'`)).toBe(
    CALLS,
  );
  expect(await count(stack.sql`select count(*)::int as n from call_logs where call_id = any(${cdrids})`)).toBe(CALLS);
  expect(await count(stack.sql`select count(*)::int as n from anura_cdr_windows where status = 'interrupted'`)).toBe(1);
  // Calls whose END was already queued are not looked up again: the second pass asks only for the rest.
  expect(standIn.stats.links).toBeLessThan(CALLS + 10);
  expect(standIn.stats.maxLinksInFlight).toBe(2); // at most 2 recording-link requests to Anura at once
}, 180_000);

it("two workers, one reconciler: windows never run at the same time, and 60 more lost calls end as 60 tasks", async () => {
  await stack.startWorker(); // beside the one started above
  const more = lostCalls("both", 30_000);
  await waitFor(
    async () => (await count(stack.sql`select count(*)::int as n from tasks where uuid = any(${more.map(taskIdFor)})`)) === CALLS,
    { what: `${CALLS} more tasks`, timeoutMs: 90_000 },
  );
  // Each window takes seconds (150 ms per link, 2 at a time) and a job is queued every second by each
  // worker: only the queue's global concurrency of 1 keeps their runs apart.
  const windows = await stack.sql<{ started: number; finished: number | null }[]>`
    select extract(epoch from started_at)::float8 as started, extract(epoch from finished_at)::float8 as finished
    from anura_cdr_windows where kind = 'poll' order by started_at`;
  for (let i = 1; i < windows.length; i++) {
    expect(windows[i]?.started).toBeGreaterThanOrEqual(windows[i - 1]?.finished ?? Number.POSITIVE_INFINITY);
  }
  expect(await count(stack.sql`select count(*)::int as n from anura_calls where cdrid = any(${more}) and source = 'cdr'`)).toBe(
    CALLS,
  );
}, 180_000);
