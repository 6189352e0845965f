import { dashboardSettings, parseEnv } from "@anura/config";
import { startDashboard } from "@anura/dashboard-app";
import { createLogger } from "@anura/logger";
import { jobIdFor } from "@anura/queue";
import { closeAll, startTestServices, waitFor } from "@anura/testing";
import { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendFrom } from "./send-from.ts";

const JOB_ID = jobIdFor("recording.fetch", { cdrid: "csrf-1" });
const LOGIN = `Basic ${Buffer.from("ops:correct-horse").toString("base64")}`;
let services: Awaited<ReturnType<typeof startTestServices>>;
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
let fetches: Queue;

// One download that failed for good, waiting for an operator's retry.
beforeAll(async () => {
  services = await startTestServices({ label: "csrf" });
  const connection = { url: services.env.REDIS_URL };
  fetches = new Queue("recording.fetch", { connection, prefix: services.prefix });
  await fetches.add("recording.fetch", { cdrid: "csrf-1" }, { jobId: JOB_ID, attempts: 1 });
  const failing = new Worker(
    "recording.fetch",
    async () => {
      throw new Error("recording host answered 403");
    },
    { connection, prefix: services.prefix },
  );
  await waitFor(async () => (await fetches.getFailedCount()) === 1, { what: "the failed download" });
  await failing.close();
  const settings = { ...services.env, DASHBOARD_PORT: "0", HOST: "127.0.0.1", DASHBOARD_USER: "ops" };
  dashboard = await startDashboard(
    parseEnv(dashboardSettings, { ...settings, DASHBOARD_PASSWORD: "correct-horse" }),
    createLogger({ name: "dashboard", level: "silent" }),
  );
});
afterAll(() => closeAll(dashboard, fetches, services));

const retry = (headers: Record<string, string>) =>
  sendFrom(`http://127.0.0.1:${dashboard.port}/calls/csrf-1/retry-recording`, {
    method: "POST",
    body: "",
    headers: { Authorization: LOGIN, "content-type": "application/x-www-form-urlencoded", ...headers },
  });
const downloadState = async () => (await fetches.getJob(JOB_ID))?.getState();

describe("the retry button's same-origin guard", () => {
  it("refuses a signed-in POST from another site (Origin, Referer or Sec-Fetch-Site), retrying nothing", async () => {
    const forged: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Referer: "https://evil.example/page" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "cross-site", Origin: `http://127.0.0.1:${dashboard.port}` },
    ];
    for (const headers of forged) {
      const answer = await retry(headers);
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.text).toContain("cross-site request refused");
    }
    expect(await downloadState()).toBe("failed");
  });

  it("refuses it before the login is checked, so a forged request learns nothing about the password", async () => {
    const answer = await retry({ Origin: "https://evil.example", Authorization: "Basic bm9ib2R5Om5vcGU=" });
    expect(answer.status).toBe(403);
  });

  it("lets the dashboard's own page retry the download", async () => {
    const answer = await retry({ Origin: `http://127.0.0.1:${dashboard.port}`, "Sec-Fetch-Site": "same-origin" });
    expect(answer.status, answer.text).toBe(303);
    expect(answer.headers.location).toBe("/?call=csrf-1&retried=1");
    expect(await downloadState()).toBe("waiting");
  });
});
