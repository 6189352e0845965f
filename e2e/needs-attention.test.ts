import { parseEnv, redisEnv, redisSettings } from "@anura/config";
import { connectQueues, jobIdFor, type QueueConnection } from "@anura/queue";
import { closeAll, seedEndEvent, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, TEST_AUTHORIZATION, type TestDashboard } from "./support/index.ts";

const UNMAPPED = 60;
const LOCKED = 5;
const AUTH = { Authorization: TEST_AUTHORIZATION };

let stack: Stack;
let dashboard: TestDashboard;
let base: string;
let connection: QueueConnection;
/** Once set, the locked host takes seconds to refuse: a retried download stays active meanwhile. */
let slowHost = false;

beforeAll(async () => {
  stack = await startStack();
  await stack.createCampaign(1);
  dashboard = await startTestDashboard(stack.env, { NEEDS_ATTENTION_RECORDING_AFTER: "1" });
  base = `http://127.0.0.1:${dashboard.port}`;
  const key = await stack.createApiKey();
  // Unmapped (campaign 9 does not exist) and not recorded: one row each under "unmapped", one second apart in creation.
  for (let index = 0; index < UNMAPPED; index++) {
    const cdrid = `unmapped-${String(index).padStart(2, "0")}`;
    await stack.post(seedEndEvent("", { cdrid, accounttags: "campaign_9", wasrecorded: false, audio_file_mp3: undefined }), {
      "X-API-Key": key,
    });
  }
  // Behind credentials: each download fails at once and for good (403).
  const locked = stack.recordings.route("/rec/locked.mp3", (_req, res) => {
    setTimeout(() => res.writeHead(403).end("forbidden"), slowHost ? 8000 : 0);
  });
  for (let index = 0; index < LOCKED; index++) {
    await stack.post(seedEndEvent(locked, { cdrid: `locked-${index}` }), { "X-API-Key": key });
  }
  connection = connectQueues(redisSettings(parseEnv(redisEnv, stack.env)), () => {});
  const fetchQueue = connection.queues.queues["recording.fetch"];
  await waitFor(async () => (await fetchQueue.getFailedCount()) === LOCKED, {
    what: "the locked downloads failed",
    timeoutMs: 60_000,
  });
  await waitFor(
    async () => {
      const overview = await page("/");
      return countIn(overview, "unmapped") === UNMAPPED && countIn(overview, "recording_given_up") === LOCKED;
    },
    {
      what: "every unmapped call and failed download listed (NEEDS_ATTENTION_RECORDING_AFTER after their first event)",
      timeoutMs: 60_000,
    },
  );
}, 180_000);

afterAll(() => closeAll(connection, dashboard, stack));

async function page(path: string): Promise<string> {
  return (await fetch(`${base}${path}`, { headers: AUTH })).text();
}

function countIn(html: string, reason: string): number {
  const match = new RegExp(`<tr data-reason="${reason}"[^>]*>\\s*<td><a[^>]*>[^<]*</a></td><td class="n">(\\d+)</td>`).exec(html);
  return match ? Number(match[1]) : Number.NaN;
}

const listed = (html: string) => [...html.matchAll(/<tr data-reason="[a-z_]+"><td><a href="\/\?call=([^"]+)"/g)].map((m) => m[1]);

const post = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { ...AUTH, ...headers }, redirect: "manual" });

describe("the Needs attention worklist", { timeout: 60_000 }, () => {
  it("pages beyond the first 50, newest first, without repeating or losing a row", async () => {
    const first = listed(await page("/?reason=unmapped"));
    // The paging links lead to the list alone, without the overview's charts.
    const second = listed(await page("/needs-attention?reason=unmapped&page=2"));
    expect(listed(await page("/needs-attention?reason=unmapped"))).toEqual(first);
    expect(first).toHaveLength(50);
    expect(second).toHaveLength(UNMAPPED - 50);
    expect(new Set([...first, ...second]).size).toBe(UNMAPPED);
    // The newest problem first: the call stored last (the worker merges 8 events at once, so not always the last sent).
    const [newest] =
      await stack.sql`select cdrid from anura_calls where unmapped_reason is not null order by created_at desc limit 1`;
    expect(first[0]).toBe(newest?.cdrid);
    // Every reason together: the same calls, merged and cut into pages.
    const all = [...listed(await page("/")), ...listed(await page("/?page=2"))];
    expect(all).toHaveLength(UNMAPPED + LOCKED);
    expect(new Set(all).size).toBe(UNMAPPED + LOCKED);
  });

  it("a download failed for good says until when its failed job is kept: the job's retention after it failed", async () => {
    const job = await connection.queues.queues["recording.fetch"].getJob(jobIdFor("recording.fetch", { cdrid: "locked-0" }));
    const keptUntil = new Date((job?.finishedOn ?? 0) + 14 * 24 * 3_600_000).toISOString().replace("T", " ").slice(0, 19);
    expect(await page("/needs-attention?reason=recording_given_up")).toContain(`the failed job is kept until ${keptUntil} UTC`);
  });

  it("says what to use for an unknown reason or page, on the page and in the CSV", async () => {
    expect(await page("/?reason=nope")).toContain(
      "unknown reason &quot;nope&quot;: use one of recording_failing, recording_given_up, unmapped",
    );
    expect(await page("/?page=0")).toContain("page must be a whole number from 1 to 200");
    const csv = await fetch(`${base}/?format=csv&reason=nope`, { headers: AUTH });
    expect(csv.status).toBe(400);
    expect(await csv.text()).toContain('unknown reason "nope"');
  });

  it("the CSV of one reason has every one of its rows, not only the first page", async () => {
    const csv = await (await fetch(`${base}/?format=csv&reason=unmapped`, { headers: AUTH })).text();
    const rows = csv.trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(UNMAPPED);
    expect(rows.every((row) => row.startsWith("unmapped-") && row.includes(",unmapped,"))).toBe(true);
  });

  it("refuses a bulk action from another site's page", async () => {
    const res = await post("/needs-attention/recording_given_up/bulk", { Origin: "http://evil.example" });
    expect(res.status).toBe(403);
  });

  it("a second click while a bulk action runs does nothing twice, and each action is counted", async () => {
    const lock = `${stack.prefix}:dashboard:bulk:recording_given_up`;
    // One is running (its lock is held): the click is refused and touches nothing.
    await connection.redis.set(lock, "held by another dashboard", "PX", 60_000);
    const refused = await post("/needs-attention/recording_given_up/bulk");
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("is already running");
    await connection.redis.del(lock);
    // Two clicks at once: between them, each failed download is retried once.
    slowHost = true;
    const answers = await Promise.all([
      post("/needs-attention/recording_given_up/bulk"),
      post("/needs-attention/recording_given_up/bulk"),
    ]);
    const touched = answers.map((res) => Number(/touched=(\d+)/.exec(res.headers.get("location") ?? "")?.[1] ?? 0));
    expect(touched.reduce((sum, n) => sum + n, 0)).toBe(LOCKED);
    const fetchQueue = connection.queues.queues["recording.fetch"];
    expect(await fetchQueue.getFailedCount()).toBe(0);
    expect(await fetchQueue.getJobState(jobIdFor("recording.fetch", { cdrid: "locked-0" }))).toMatch(/active|waiting/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/anura_dashboard_bulk_actions_total\{reason="recording_given_up",outcome="already_running"\} [12]/);
    expect(metrics).toMatch(/anura_dashboard_bulk_actions_total\{reason="recording_given_up",outcome="done"\} [12]/);
    expect(metrics).toContain(`anura_dashboard_bulk_action_calls_total{reason="recording_given_up"} ${LOCKED}`);
  });
});
