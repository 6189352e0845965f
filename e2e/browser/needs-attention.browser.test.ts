import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { closeAll, generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, TEST_LOGIN, type TestDashboard } from "../support/index.ts";
import { launchChromium, screenshotPath } from "./chromium.ts";

const LOGIN = TEST_LOGIN;
const CALLER = "5491167950079";
const CALLED = "5491126888209";

let stack: Stack;
let dashboard: TestDashboard;
let browser: Browser;
let context: BrowserContext;
let base: string;
let hostRecovered = false;

beforeAll(async () => {
  // A minute between attempts: the 404 recording stays "delayed" (failing) while the page is read.
  stack = await startStack({ env: { RECORDING_RETRY_DELAYS: "60" } });
  await stack.createCampaign(1);
  dashboard = await startTestDashboard(stack.env, {
    // A test cannot wait an hour or half an hour: the same rules, with thresholds of a second.
    NEEDS_ATTENTION_RECORDING_AFTER: "1",
    TRANSCRIPTION_STALL_AFTER: "1",
  });
  base = `http://127.0.0.1:${dashboard.port}`;
  browser = await launchChromium();
  context = await browser.newContext({ httpCredentials: LOGIN });

  const key = await stack.createApiKey();
  const send = (body: Record<string, unknown>) => stack.post(body, { "X-API-Key": key });
  const mp3 = generateMp3(2);
  // The recording host answers 404 until it recovers; the link carries the caller's number in its query.
  const late = stack.recordings.route("/rec/late.mp3", (_req, res) => {
    if (hostRecovered) res.writeHead(200, { "content-type": "audio/mpeg" }).end(mp3);
    else res.writeHead(404).end();
  });
  await send(seedEndEvent(`${late}?from=${CALLER}`, { cdrid: "late-404" }));
  // Tagged with a campaign that does not exist yet.
  await send(seedEndEvent(stack.recordings.serve("/rec/unmapped.mp3", mp3), { cdrid: "no-campaign", accounttags: "campaign_9" }));
  // Mapped and stored: its task is left pending by AuditorIA (nobody runs it here).
  await send(seedEndEvent(stack.recordings.serve("/rec/stalled.mp3", mp3), { cdrid: "stalled-task" }));
  // AuditorIA failed this one, and its error quotes the caller's number.
  await send(seedEndEvent(stack.recordings.serve("/rec/failed.mp3", mp3), { cdrid: "failed-task" }));
  // END says recorded but brings no link.
  await send(seedEndEvent("", { cdrid: "no-link", audio_file_mp3: undefined }));

  await waitFor(
    async () => {
      const [row] = await stack.sql<{ tasks: number; calls: number }[]>`
        select (select count(*)::int from tasks) as tasks, (select count(*)::int from anura_calls) as calls`;
      return row?.tasks === 2 && row.calls === 5 && stack.recordings.hitsFor("/rec/late.mp3") > 0;
    },
    { what: "two tasks, five calls and a first try at the 404 recording", timeoutMs: 60_000 },
  );
  await stack.sql`update tasks set status = 'failed', error = ${`audio unreadable, call from +${CALLER}`}, updated_at = localtimestamp
    where uuid = ${taskIdFor("failed-task")}`;
}, 120_000);

afterAll(() => closeAll(context, browser, dashboard, stack));

/** The worklist row of a call, as the operator reads it. */
async function rowOf(page: Page, cdrid: string) {
  const row = page.locator("table.attention tr", { has: page.locator(`a[href="/?call=${cdrid}"]`) });
  return { reason: await row.getAttribute("data-reason"), text: (await row.textContent()) ?? "" };
}

async function countOf(page: Page, reason: string): Promise<number> {
  return Number(await page.locator(`table.attention-counts tr[data-reason="${reason}"] td.n`).textContent());
}

describe("the Needs attention worklist in a browser", { timeout: 120_000 }, () => {
  it("lists each call that needs a person with its reason, since when, what happens next, and a link to its timeline", async () => {
    const page = await context.newPage();
    await waitFor(
      async () => {
        await page.goto(`${base}/`);
        return (await countOf(page, "recording_failing")) === 1 && (await countOf(page, "task_stalled")) === 1;
      },
      { what: "the 404 recording and the stalled task listed", timeoutMs: 30_000 },
    );
    // It is the first section of the overview.
    expect(await page.locator("h2").first().textContent()).toBe("Needs attention");

    const late = await rowOf(page, "late-404");
    expect(late.reason).toBe("recording_failing");
    expect(late.text).toMatch(/attempt 1 failed with recording host answered 404/);
    expect(late.text).toMatch(/Next attempt at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; gives up at/);
    const unmapped = await rowOf(page, "no-campaign");
    expect(unmapped.reason).toBe("unmapped");
    expect(unmapped.text).toContain('accounttags "campaign_9" names campaign 9, which does not exist');
    expect(unmapped.text).toContain("ANURA_DEFAULT_CAMPAIGN_ID is unset");
    const stalled = await rowOf(page, "stalled-task");
    expect(stalled.reason).toBe("task_stalled");
    expect(stalled.text).toContain(`Task ${taskIdFor("stalled-task")} still pending`);
    expect((await rowOf(page, "failed-task")).text).toContain("audio unreadable, call from [redacted-number]");
    expect((await rowOf(page, "no-link")).reason).toBe("recorded_without_link");
    expect(await page.content()).not.toContain(CALLER);
    await page.screenshot({ path: screenshotPath("needs-attention.png"), fullPage: true });

    // The cdrid links to the call's timeline.
    await page.locator('table.attention a[href="/?call=late-404"]').click();
    await page.waitForURL(/\?call=late-404/);
    expect(await page.locator("ol.timeline").textContent()).toContain("Recording not ready yet");

    // Filtering by reason shows only that reason's calls.
    await page.goto(`${base}/`);
    await page.locator('table.attention-counts tr[data-reason="unmapped"] a').click();
    await page.waitForURL(/reason=unmapped/);
    expect(
      await page.locator("table.attention tr[data-reason]").evaluateAll((rows) => rows.map((r) => r.dataset.reason)),
    ).toEqual(["unmapped"]);
    await page.close();
  });

  it("the CSV has the same rows and no phone number", async () => {
    const response = await context.request.get(`${base}/?format=csv`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^text\/csv/);
    const csv = await response.text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("cdrid,reason,reason_text,since_utc,what_is_wrong,if_nobody_acts");
    const cdrids = lines.slice(1).map((line) => line.split(",")[0]);
    expect(cdrids.sort()).toEqual(["failed-task", "late-404", "no-campaign", "no-link", "stalled-task"]);
    expect(csv).not.toContain(CALLER);
    expect(csv).not.toContain(CALLED);
    expect(csv).toContain("[redacted-number]");
  });

  it("a bulk retry after the recording host recovers turns the recording row into a task", async () => {
    const page = await context.newPage();
    await page.goto(`${base}/`);
    hostRecovered = true;
    await page.locator('table.attention-counts tr[data-reason="recording_failing"] button').click();
    await page.waitForURL(/bulk=recording_failing/);
    expect(await page.locator('[data-bulk-result="recording_failing"]').textContent()).toContain("1 call touched");
    const task = await waitFor(() => findTask(stack.db, taskIdFor("late-404")), {
      what: "task after the bulk retry",
      timeoutMs: 20_000,
    });
    expect(task.status).toBe("pending");
    await page.goto(`${base}/`);
    expect(await countOf(page, "recording_failing")).toBe(0);
    await page.close();
  });

  it("a bulk remap after adding the campaign turns the unmapped row into a task", async () => {
    const page = await context.newPage();
    await stack.createCampaign(9);
    await page.goto(`${base}/`);
    await page.locator('table.attention-counts tr[data-reason="unmapped"] button').click();
    await page.waitForURL(/bulk=unmapped/);
    expect(await page.locator('[data-bulk-result="unmapped"]').textContent()).toContain("1 call touched");
    const task = await waitFor(() => findTask(stack.db, taskIdFor("no-campaign")), {
      what: "task after the bulk remap",
      timeoutMs: 20_000,
    });
    expect(task.status).toBe("pending");
    await page.goto(`${base}/`);
    expect(await countOf(page, "unmapped")).toBe(0);
    await page.screenshot({ path: screenshotPath("needs-attention-after-bulk.png"), fullPage: true });
    await page.close();
  });
});
