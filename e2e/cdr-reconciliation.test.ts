import { PassThrough } from "node:stream";
import { taskIdFor } from "@anura/call-domain";
import { parseEnv, redisEnv, redisSettings } from "@anura/config";
import { type AnuraStandIn, type StandInCdr, startAnuraStandIn } from "@anura/dev-anura-api";
import { connectQueues, waitUntilReady } from "@anura/queue";
import { closeAll, generateMp3, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, TEST_AUTHORIZATION } from "./support/index.ts";

// Reconciliation against the stand-in for Anura's token endpoint and CDR API, over HTTP, with the
// real ingester and worker on Postgres, Redis and S3: every recorded call becomes one task, webhook or not.

let stack: Stack;
let standIn: AnuraStandIn;
let key: string;
const mp3 = generateMp3(2);
let run = 0;
const logged: string[] = [];

beforeAll(async () => {
  standIn = await startAnuraStandIn({ clientId: "test-client", clientSecret: "test-secret-never-logged", tokenSeconds: 3600 });
  const logTo = new PassThrough();
  logTo.on("data", (chunk: Buffer) => logged.push(chunk.toString()));
  stack = await startStack({
    logTo,
    env: {
      ...standIn.env,
      ANURA_CDR_POLL_SECONDS: "0.5",
      ANURA_CDR_SETTLE_SECONDS: "1",
      ANURA_CDR_OVERLAP_SECONDS: "120",
      ANURA_DEFAULT_CAMPAIGN_ID: "1",
      ANURA_DEFAULT_OPERATOR_ID: "300",
    },
  });
  key = await stack.createApiKey();
  await stack.createCampaign(1, "Ventas");
  await stack.createCampaign(7, "Cobranzas");
});
afterAll(() => closeAll(stack, standIn));

/** A finished, recorded call: its CDR (as the stand-in lists it) and the webhooks Anura would send. */
function call(name: string) {
  const cdrid = `${name}-${++run}-${Date.now().toString(36)}`;
  const dialTime = Date.now() - 30_000;
  const recordingUrl = stack.recordings.serve(`/recordings/${cdrid}.mp3`, mp3);
  const cdr: StandInCdr = {
    id: cdrid,
    dialTime,
    direction: "IN",
    calling: "+5491167950079",
    called: "+5491126888209",
    status: "ANSWER",
    duration: 20,
    billSeconds: 18,
    account: { name: "Ventas" },
    recordingUrl,
  };
  const base = { cdrid, dialtime: new Date(dialTime).toISOString(), direction: "inbound", calling: "+5491167950079" };
  const webhook = (hooktrigger: string) =>
    stack.post(
      {
        ...base,
        hooktrigger,
        duration: 20,
        wasrecorded: true,
        audio_file_mp3: recordingUrl,
        accounttags: "campaign_7",
        queueagentextension: "305",
      },
      { "X-API-Key": key },
    );
  return {
    cdrid,
    cdr,
    webhook,
    async sendWebhooks() {
      for (const trigger of ["START", "TALK", "END"]) expect((await webhook(trigger)).status).toBe(202);
    },
  };
}

async function rowsOf(cdrids: string[]) {
  const [calls, logs, tasks] = await Promise.all([
    stack.sql<
      { cdrid: string; source: string; campaign_id: number }[]
    >`select cdrid, source, campaign_id from anura_calls where cdrid = any(${cdrids})`,
    stack.sql<{ call_id: string }[]>`select call_id from call_logs where call_id = any(${cdrids})`,
    stack.sql<{ uuid: string; status: string }[]>`select uuid, status from tasks where uuid = any(${cdrids.map(taskIdFor)})`,
  ]);
  return { calls, logs, tasks };
}

const waitForTasks = (cdrids: string[], timeoutMs = 30_000) =>
  waitFor(async () => (await rowsOf(cdrids)).tasks.length === cdrids.length, { what: `${cdrids.length} tasks`, timeoutMs });

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const found = (await stack.worker?.deps.metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  const matching = found.filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return matching.reduce((sum, v) => sum + v.value, 0);
}

describe("reconciliation with Anura's CDR list", () => {
  it("20 calls, 5 of them without webhooks: 20 tasks, exactly the 5 recovered from the CDR list", async () => {
    const calls = Array.from({ length: 20 }, (_, i) => call(`batch${i}`));
    const lost = calls.slice(0, 5);
    const delivered = calls.slice(5);
    await Promise.all(delivered.map((c) => c.sendWebhooks()));
    await waitFor(async () => (await rowsOf(delivered.map((c) => c.cdrid))).calls.length === 15, { what: "15 webhook calls" });
    const recoveredBefore = await metric("anura_cdr_reconciled_calls_total", { outcome: "recovered" });
    for (const c of calls) standIn.addCdr(c.cdr);

    await waitForTasks(calls.map((c) => c.cdrid));
    const rows = await rowsOf(calls.map((c) => c.cdrid));
    expect(rows.tasks.every((t) => t.status === "pending")).toBe(true);
    expect(rows.logs).toHaveLength(20);
    const recovered = rows.calls.filter((c) => c.source === "cdr").map((c) => c.cdrid);
    expect(recovered.sort()).toEqual(lost.map((c) => c.cdrid).sort());
    // Mapped like any END without tags: the default campaign (the webhook calls map to their tag).
    expect(rows.calls.filter((c) => c.source === "cdr").every((c) => c.campaign_id === 1)).toBe(true);
    expect(rows.calls.filter((c) => c.source === "webhook").every((c) => c.campaign_id === 7)).toBe(true);
    await waitFor(
      async () => (await metric("anura_cdr_reconciled_calls_total", { outcome: "recovered" })) - recoveredBefore >= 5,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500)); // more windows over the same CDRs count nothing again
    expect((await metric("anura_cdr_reconciled_calls_total", { outcome: "recovered" })) - recoveredBefore).toBe(5);
    // The recovered call's END came from the CDR: phone, times and duration are the CDR's.
    const [state] = await stack.sql<{ state: { duration: number; wasrecorded: boolean } }[]>`
      select state from anura_calls where cdrid = ${lost[0]?.cdrid as string}`;
    expect(state?.state).toMatchObject({ duration: 20, wasrecorded: true });
  });

  it("ops see it: the lost-webhooks gauge names the account, the overview counts the hour, the timeline says how the call came", async () => {
    const [lost] = await stack.sql<
      { cdrid: string }[]
    >`select cdrid from anura_calls where source = 'cdr' order by cdrid limit 1`;
    expect(await metric("anura_cdr_recovered_calls_last_hour", { account: "Ventas" })).toBeGreaterThanOrEqual(5);
    expect(await metric("anura_cdr_reconcile_lag_seconds", {})).toBeLessThan(60);
    const dashboard = await startTestDashboard(stack.env);
    try {
      const get = async (path: string) =>
        (
          await fetch(`http://127.0.0.1:${dashboard.port}${path}`, {
            headers: { authorization: TEST_AUTHORIZATION },
          })
        ).text();
      const overview = await get("/");
      const recovered = overview.slice(overview.indexOf("Calls recovered from Anura"), overview.indexOf("Last 24 hours, totals"));
      expect(recovered).toMatch(/<th>Total<\/th><td class="n">(\d+)<\/td>/);
      expect(Number(/<th>Total<\/th><td class="n">(\d+)<\/td>/.exec(recovered)?.[1])).toBeGreaterThanOrEqual(5);
      const timeline = await get(`/?call=${encodeURIComponent(lost?.cdrid as string)}`);
      expect(timeline).toContain("Found through Anura&#39;s CDR list (reconciliation)");
      expect(timeline).toContain("no webhook came for this call");
      // The worklist names every recovered call and the account whose hooks lose webhooks; no webhook call.
      const bySource = await stack.sql<{ cdrid: string; source: string }[]>`select cdrid, source from anura_calls`;
      const worklist = await get("/needs-attention?reason=recovered_from_cdr");
      for (const { cdrid, source } of bySource) {
        expect(worklist.includes(`?call=${encodeURIComponent(cdrid)}"`), `${cdrid} (${source})`).toBe(source === "cdr");
      }
      expect(worklist).toContain("found it in Anura&#39;s CDR list (account Ventas)");
    } finally {
      await dashboard.close();
    }
  });

  it("a webhook arriving after its call was recovered, or at the same moment, leaves one call, one call log, one task", async () => {
    const late = Array.from({ length: 3 }, (_, i) => call(`late${i}`));
    for (const c of late) standIn.addCdr(c.cdr);
    await waitForTasks(late.map((c) => c.cdrid));
    await Promise.all(late.map((c) => c.sendWebhooks()));

    // Both at once: the CDR is listed while the webhooks are being sent.
    const racing = Array.from({ length: 5 }, (_, i) => call(`race${i}`));
    await Promise.all(
      racing.map(async (c) => {
        standIn.addCdr(c.cdr);
        await c.sendWebhooks();
      }),
    );
    const all = [...late, ...racing].map((c) => c.cdrid);
    await waitForTasks(all);
    // Let every queued event and window settle, then count.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rows = await rowsOf(all);
    expect(rows.calls).toHaveLength(all.length);
    expect(rows.logs).toHaveLength(all.length);
    expect(rows.tasks).toHaveLength(all.length);
    const [events] = await stack.sql<{ n: number }[]>`
      select count(*)::int as n from anura_events where cdrid = any(${all}) and payload->'extra'->>'source' = 'cdr'`;
    expect(events?.n).toBeLessThanOrEqual(all.length); // at most one recovered END per call
    // The late webhook's END outranks the CDR's: the call maps to its tag, as if it had come in time.
    expect((await rowsOf(late.map((c) => c.cdrid))).calls.every((c) => c.campaign_id === 7)).toBe(true);
    for (const c of all) expect(stack.recordings.hitsFor(`/recordings/${c}.mp3`)).toBe(1);
  });

  it("a call whose END webhook never came is completed from its CDR: call log and task, one of each", async () => {
    const halfway = call("noend");
    for (const trigger of ["START", "TALK"]) expect((await halfway.webhook(trigger)).status).toBe(202);
    await waitFor(async () => (await rowsOf([halfway.cdrid])).calls.length === 1, { what: "the call from START/TALK" });
    standIn.addCdr(halfway.cdr);
    await waitForTasks([halfway.cdrid]);
    const rows = await rowsOf([halfway.cdrid]);
    expect(rows.calls).toEqual([expect.objectContaining({ source: "webhook", campaign_id: 7 })]);
    expect(rows.logs).toHaveLength(1);
    const [ended] = await stack.sql<{ ended: boolean; triggers: string[] }[]>`
      select (state->>'ended')::boolean as ended, state->'triggers' as triggers from anura_calls where cdrid = ${halfway.cdrid}`;
    expect(ended?.ended).toBe(true);
    expect([...(ended?.triggers ?? [])].sort()).toEqual(["END", "START", "TALK"]);
  });

  it("a webhook cannot pass as recovered by sending a source field", async () => {
    const spoof = call("spoof");
    const res = await stack.post(
      { hooktrigger: "END", cdrid: spoof.cdrid, source: "cdr", wasrecorded: false },
      { "X-API-Key": key },
    );
    expect(res.status).toBe(202);
    await waitFor(async () => (await rowsOf([spoof.cdrid])).calls.length === 1, { what: "the spoofing call" });
    expect((await rowsOf([spoof.cdrid])).calls[0]?.source).toBe("webhook");
  });

  it("a token that expires mid-run is replaced and reconciliation carries on", async () => {
    const tokensBefore = standIn.stats.tokens;
    const rejectedBefore = standIn.stats.rejectedTokens;
    standIn.expireTokens();
    const lost = call("token");
    standIn.addCdr(lost.cdr);
    await waitForTasks([lost.cdrid]);
    expect(standIn.stats.rejectedTokens).toBeGreaterThan(rejectedBefore);
    expect(standIn.stats.tokens).toBeGreaterThan(tokensBefore);
  });

  it("with the API down for a while, the windows it missed are checked once it is back: none is skipped", async () => {
    const errorsBefore = await metric("anura_cdr_api_errors_total", {});
    standIn.goDown(60_000);
    const lost = call("outage");
    standIn.addCdr(lost.cdr);
    await waitFor(
      async () => {
        const [row] = await stack.sql<{ n: number }[]>`select count(*)::int as n from anura_cdr_windows where status = 'failed'`;
        return (row?.n ?? 0) >= 1;
      },
      { what: "a failed window" },
    );
    standIn.injectFaults("malformed", "shape", "http500");
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await rowsOf([lost.cdrid])).calls).toHaveLength(0);
    standIn.comeBack();
    await waitForTasks([lost.cdrid]);
    expect(await metric("anura_cdr_api_errors_total", {})).toBeGreaterThan(errorsBefore);
    // Every done poll window starts at or before the end of the one before it: no gap, whatever failed.
    const windows = await stack.sql<{ starts: number; ends: number }[]>`
      select extract(epoch from starts_at)::float8 as starts, extract(epoch from ends_at)::float8 as ends
      from anura_cdr_windows where kind = 'poll' and status = 'done' order by ends_at`;
    expect(windows.length).toBeGreaterThanOrEqual(2);
    // And each window that failed lies inside one checked to the end later.
    const failed = await stack.sql<{ starts: number; ends: number }[]>`
      select extract(epoch from starts_at)::float8 as starts, extract(epoch from ends_at)::float8 as ends
      from anura_cdr_windows where kind = 'poll' and status = 'failed'`;
    for (const gap of failed) expect(windows.some((w) => w.starts <= gap.starts && w.ends >= gap.ends)).toBe(true);
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i]?.starts).toBeLessThanOrEqual(windows[i - 1]?.ends as number);
    }
  });

  it("a recorded call whose recording link Anura cannot give is still created, and its timeline says why", async () => {
    const unlinked = call("nolink");
    const { recordingUrl: _, ...cdr } = unlinked.cdr;
    standIn.addCdr(cdr);
    await waitFor(async () => (await rowsOf([unlinked.cdrid])).logs.length === 1, { what: "its call log" });
    const [event] = await stack.sql<{ reason: string }[]>`
      select payload->'extra'->>'recording_unavailable' as reason from anura_events where cdrid = ${unlinked.cdrid}`;
    expect(event?.reason).toBe("Anura has no recording for this call (HTTP 404)");
    expect((await rowsOf([unlinked.cdrid])).tasks).toHaveLength(0);
  });

  it("after a long outage, catches up in windows of at most an hour, saying how far behind it is", async () => {
    // Polls paused, and the one under way finished: else it can close a window at now after the rewrite below.
    const connection = connectQueues(redisSettings(parseEnv(redisEnv, stack.env)), () => {});
    await waitUntilReady(connection.redis);
    const polls = connection.queues.queues["cdr.reconcile"];
    await polls.pause();
    await waitFor(async () => (await polls.getActiveCount()) === 0, { what: "the poll under way to finish" });
    const windowsBefore = await stack.sql<{ id: number }[]>`select id from anura_cdr_windows`;
    // As if the last window checked ended three hours ago.
    await stack.sql`update anura_cdr_windows set status = 'archived' where kind = 'poll' and status = 'done'`;
    await stack.sql`insert into anura_cdr_windows (kind, starts_at, ends_at, status) values ('poll', now() - interval '3 hours 2 minutes', now() - interval '3 hours', 'done')`;
    await polls.resume();
    await connection.close();
    const old = call("old");
    old.cdr.dialTime = Date.now() - 150 * 60_000; // dialled two and a half hours ago, never sent
    standIn.addCdr(old.cdr);
    await waitForTasks([old.cdrid]);
    const lines = logged
      .join("")
      .split("\n")
      .filter((line) => line.includes("catching up with Anura's CDR list"))
      .map((line) => JSON.parse(line) as { behindSeconds: number });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]?.behindSeconds).toBeGreaterThan(3600);
    const spans = await stack.sql<{ seconds: number }[]>`
      select extract(epoch from ends_at - starts_at)::float8 as seconds from anura_cdr_windows
      where kind = 'poll' and status = 'done' and id <> all(${windowsBefore.map((w) => w.id)}::int[]) and starts_at < now() - interval '1 hour'`;
    expect(spans.length).toBeGreaterThanOrEqual(2);
    for (const { seconds } of spans) expect(seconds).toBeLessThanOrEqual(3600 + 120);
  });

  it("never puts the client secret or a token in a log line", () => {
    const logs = logged.join("");
    expect(logs).toContain("reconciling with Anura's CDR list"); // the worker did log, and did reconcile
    expect(logs).not.toContain("test-secret-never-logged");
    for (const token of standIn.issuedTokens()) expect(logs).not.toContain(token);
  });
});
