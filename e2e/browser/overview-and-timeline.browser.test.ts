import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { closeAll, generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, TEST_LOGIN, type TestDashboard } from "../support/index.ts";
import { launchChromium, screenshotPath } from "./chromium.ts";

const LOGIN = TEST_LOGIN;
const READY_CALLS = ["ok-1", "ok-2", "ok-3", "ok-4", "ok-5"];

let stack: Stack;
let dashboard: TestDashboard;
let browser: Browser;
let base: string;
let lockedFixed = false;

beforeAll(async () => {
  // A minute between attempts: the late recording stays "not ready" while the page is read.
  stack = await startStack({ env: { RECORDING_RETRY_DELAYS: "60" } });
  await stack.createCampaign(1);
  dashboard = await startTestDashboard(stack.env);
  base = `http://127.0.0.1:${dashboard.port}`;
  browser = await launchChromium();

  const key = await stack.createApiKey();
  const send = (body: Record<string, unknown>) => stack.post(body, { "X-API-Key": key });
  const mp3 = generateMp3(3);
  for (const cdrid of READY_CALLS) {
    const url = stack.recordings.serve(`/rec/${cdrid}.mp3`, mp3);
    await send(seedEndEvent(url, { cdrid, hooktrigger: "START" }));
    await send(seedEndEvent(url, { cdrid, hooktrigger: "TALK" }));
    await send(seedEndEvent(url, { cdrid }));
  }
  // Not there yet (404, retried) and behind credentials until ops fix access (403, fails at once).
  await send(
    seedEndEvent(
      stack.recordings.route("/rec/late-1.mp3", (_req, res) => {
        res.writeHead(404).end();
      }),
      { cdrid: "late-1" },
    ),
  );
  const locked = stack.recordings.route("/rec/locked-1.mp3", (_req, res) => {
    if (lockedFixed) res.writeHead(200, { "content-type": "audio/mpeg" }).end(mp3);
    else res.writeHead(403).end("forbidden");
  });
  await send(seedEndEvent(locked, { cdrid: "locked-1" }));

  await waitFor(
    async () => {
      const [row] = await stack.sql<{ tasks: number }[]>`select count(*)::int as tasks from tasks`;
      return row?.tasks === READY_CALLS.length && stack.recordings.hitsFor("/rec/late-1.mp3") > 0;
    },
    { what: "five tasks and a first try at the late recording", timeoutMs: 60_000 },
  );
  // AuditorIA's transcription workers move tasks on; here we play their part.
  await stack.sql`update tasks set status = 'completed', updated_at = localtimestamp where uuid = ${taskIdFor("ok-1")}`;
  await stack.sql`update tasks set status = 'in_progress', updated_at = localtimestamp where uuid = ${taskIdFor("ok-2")}`;
}, 120_000);

afterAll(() => closeAll(browser, dashboard, stack));

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

/** A table cell as a number; durations ("672 ms", "1.4 s") in milliseconds. */
function cellValue(cell: string): number {
  const [, amount = "NaN", unit] = cell.match(/^([\d.]+)\s*(ms|s|min|h)?$/) ?? [];
  return Number.parseFloat(amount) * (unit ? (UNIT_MS[unit] ?? Number.NaN) : 1);
}

const timelineText = async (page: Page) => (await page.locator("ol.timeline").textContent()) ?? "";

/** Sum of each column of a chart's table over the 24 hours ("–" where nothing was measured). */
async function chartColumns(page: Page, title: string): Promise<Record<string, number | null>> {
  const figure = page.locator("figure.chart-figure", { hasText: title });
  const headers = await figure.locator("thead th").allInnerTexts();
  const rows = await figure
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
  const sums: Record<string, number | null> = {};
  headers.forEach((header, column) => {
    if (column === 0) return;
    const values = rows.map((row) => row[column] ?? "–").filter((cell) => cell !== "–");
    sums[header] = values.length === 0 ? null : values.reduce((sum, cell) => sum + cellValue(cell), 0);
  });
  return sums;
}

describe("overview charts and call timelines in a browser", { timeout: 90_000 }, () => {
  it("the overview draws the five hourly charts, readable without JavaScript, with the same numbers in tables", async () => {
    const context = await browser.newContext({ httpCredentials: LOGIN, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await waitFor(
      async () => {
        await page.goto(`${base}/`);
        return (await chartColumns(page, "Recordings stored vs failed downloads")).failed === 1;
      },
      { what: "the locked recording in the failed count", timeoutMs: 40_000 },
    );
    expect(await page.locator("figure.chart-figure svg").count()).toBe(5);

    const events = await chartColumns(page, "Webhook events by trigger");
    expect(events).toMatchObject({ START: 5, TALK: 5, END: 7, total: 17 });
    expect(await chartColumns(page, "Recordings stored vs failed downloads")).toMatchObject({ stored: 5, failed: 1 });
    expect(await chartColumns(page, "Tasks by AuditorIA status")).toMatchObject({ completed: 1, in_progress: 1, pending: 3 });
    const latency = await chartColumns(page, "END → task latency");
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p95).toBeGreaterThanOrEqual(latency.p50 ?? 0);
    // Sampled into Postgres when the dashboard started: a number, not a gap.
    expect((await chartColumns(page, "Waiting jobs per queue"))["recording.fetch"]).not.toBeNull();

    await page.screenshot({ path: screenshotPath("overview-charts.png"), fullPage: true });
    await context.close();
  });

  it("a call's timeline tells its story from Anura's events to AuditorIA's status", async () => {
    const context = await browser.newContext({ httpCredentials: LOGIN });
    const page = await context.newPage();
    await page.goto(`${base}/?call=ok-1`);
    const story = await timelineText(page);
    const order = [
      "the call started ringing (START)",
      "the call was answered (TALK)",
      "the call ended (END)",
      "Recording stored in the bucket",
      "Transcription task created for AuditorIA",
      "AuditorIA transcribed it (completed)",
    ].map((line) => story.indexOf(line));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(story).toContain("Call log written for AuditorIA");
    expect(story).not.toContain("+549"); // phone numbers never shown
    await page.screenshot({ path: screenshotPath("timeline-transcribed.png"), fullPage: true });

    await page.goto(`${base}/?call=late-1`);
    const late = await timelineText(page);
    expect(late).toMatch(/Recording not ready yet: attempt 1 of about \d+ failed/);
    expect(late).toContain("Transcription task: created once the recording is stored");
    expect(late).toContain("recording host answered 404");
    expect(late).toMatch(/Next attempt at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await page.screenshot({ path: screenshotPath("timeline-late-recording.png"), fullPage: true });
    await context.close();
  });

  it("the retry button on a failed download's timeline brings the recording and the task once the host is fixed", async () => {
    const context = await browser.newContext({ httpCredentials: LOGIN });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByRole("link", { name: "locked-1" }).click(); // from the failed list
    const failed = page.locator("ol.timeline li.problem");
    await page.waitForURL(/\?call=locked-1/);
    await failed.waitFor({ timeout: 15_000 });
    expect(await failed.textContent()).toMatch(/Recording download failed after 1 attempt/);
    expect(await failed.textContent()).toContain("recording host answered 403");
    await page.screenshot({ path: screenshotPath("timeline-failed-download.png"), fullPage: true });

    lockedFixed = true;
    await page.getByRole("button", { name: "Retry the download" }).click();
    await page.waitForURL(/retried=1/);
    expect(await page.locator(".notice").textContent()).toContain("Retry queued");
    await waitFor(
      async () => {
        await page.goto(`${base}/?call=locked-1`);
        // The task row is written before BullMQ marks the job done: wait for both on one page.
        const text = await timelineText(page);
        return text.includes("Transcription task created for AuditorIA") && text.includes("downloaded on attempt 2");
      },
      { what: "the task and the second attempt's download on the timeline after the retry", timeoutMs: 40_000 },
    );
    expect((await findTask(stack.db, taskIdFor("locked-1")))?.status).toBe("pending");
    await page.screenshot({ path: screenshotPath("timeline-retried-download.png"), fullPage: true });

    // Retrying a download that is not failed is refused, saying why.
    const again = await context.request.post(`${base}/calls/locked-1/retry-recording`, { maxRedirects: 0 });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain("not failed");
    await context.close();
  });
});
