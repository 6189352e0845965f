import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { closeAll, generateMp3, waitFor } from "@anura/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, TEST_LOGIN, type TestDashboard } from "../support/index.ts";
import { launchChromium, screenshotPath } from "./chromium.ts";

let stack: Stack;
let dashboard: TestDashboard;
let browser: Browser;
let recordingReady = false;

beforeAll(async () => {
  stack = await startStack();
  await stack.createCampaign(1);
  dashboard = await startTestDashboard(stack.env);
  browser = await launchChromium();

  // The link needs credentials at first (403: unrecoverable), then works once ops fix access.
  const mp3 = generateMp3(2);
  const url = stack.recordings.route("/rec/locked.mp3", (_req, res) => {
    if (recordingReady) res.writeHead(200, { "content-type": "audio/mpeg" }).end(mp3);
    else res.writeHead(403).end("forbidden");
  });
  const key = await stack.createApiKey();
  await stack.post(
    {
      hooktrigger: "END",
      cdrid: "locked-1",
      accounttags: "campaign_1",
      queueagentextension: "300",
      wasrecorded: true,
      audio_file_mp3: url,
    },
    { "X-API-Key": key },
  );
  await waitFor(
    async () =>
      (await stack.sql`select 1 from anura_calls where cdrid = 'locked-1'`).length > 0 &&
      stack.recordings.hitsFor("/rec/locked.mp3") > 0,
    { what: "first download attempt" },
  );
});
afterAll(() => closeAll(browser, dashboard, stack));

describe("dashboard in a browser", () => {
  it("refuses visitors without the dashboard credentials", async () => {
    const context = await browser.newContext();
    for (const path of ["/", "/admin/queues"]) {
      const response = await context.request.get(`http://127.0.0.1:${dashboard.port}${path}`);
      expect(response.status()).toBe(401);
      expect(response.headers()["www-authenticate"]).toMatch(/^Basic/);
    }
    await context.close();
  });

  it("an operator logs in, sees the failed download with its reason, retries it, and it completes", async () => {
    const context = await browser.newContext({ httpCredentials: TEST_LOGIN });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${dashboard.port}`;

    await page.goto(`${base}/`);
    await expect.poll(() => page.content(), { timeout: 15_000 }).toMatch(/needs credentials/);

    await page.goto(`${base}/admin/queues/queue/recording.fetch?status=failed`);
    await page
      .getByText(/needs credentials/)
      .first()
      .waitFor({ timeout: 15_000 });
    recordingReady = true;
    // The job card's first icon button is Bull Board's per-job retry.
    await page
      .getByText(/^fetch-/)
      .first()
      .locator("xpath=following::button[1]")
      .click();
    await page.getByText("Are you sure that you want to retry this job?").waitFor();
    await page.getByRole("button", { name: "Confirm" }).click();

    const task = await waitFor(() => findTask(stack.db, taskIdFor("locked-1")), {
      what: "task after the retry",
      timeoutMs: 20_000,
    });
    expect(task.status).toBe("pending");
    await page.goto(`${base}/admin/queues/queue/recording.fetch?status=completed`);
    await page
      .getByText(/fetch-/)
      .first()
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath("dashboard-retried-download.png"), fullPage: true });

    await page.goto(`${base}/?call=locked-1`);
    expect(await page.content()).toContain("anura/anura_locked-1.mp3");
    await context.close();
  });
});
