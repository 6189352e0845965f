import { JOB_NAMES } from "@anura/queue";
import { closeAll, generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, startTestDashboard, type TestDashboard } from "../support/index.ts";
import { startPrometheus } from "./prometheus-server.ts";

let stack: Stack;
let dashboard: TestDashboard;
let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  dashboard = await startTestDashboard(stack.env);
  prometheus = await startPrometheus({
    ingester: Number(new URL(stack.baseUrl).port),
    worker: stack.worker?.opsPort as number,
    dashboard: dashboard.port,
  });
  key = await stack.createApiKey();
  await stack.createCampaign(1);
});
afterAll(() => closeAll(prometheus, dashboard, stack));

const downloadAlert = async () =>
  (await prometheus.alerts()).find((alert) => alert.labels.alertname === "AnuraRecordingDownloadsFailing");

describe("the shipped rules in a real Prometheus scraping the running apps", () => {
  it("scrapes the ingester, the worker and the dashboard", async () => {
    // Each app answers a scrape at least once (a 1 s timeout on a loaded machine may miss one now and then).
    const up = new Set<string>();
    let seen = "";
    await waitFor(
      async () => {
        const active = await prometheus.targets();
        for (const target of active) if (target.health === "up") up.add(target.labels.job as string);
        seen = active.map((target) => `${target.labels.job}: ${target.health} ${target.lastError}`).join("; ");
        return up.size === 3;
      },
      { what: "a successful scrape of each app", timeoutMs: 30_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${seen}`);
    });
    expect([...up].sort()).toEqual(["anura-dashboard", "anura-ingester", "anura-worker"]);
    // The series the rules read are there, healthy.
    const healthy = {
      anura_worker_ready: 1,
      anura_inbox_events: 0,
      anura_recordings_missing: 0,
      anura_transcription_stalled_tasks: 0,
      "count(anura_queue_oldest_waiting_seconds)": JOB_NAMES.length * 2, // every queue, from the ingester and the worker
    };
    for (const [promql, value] of Object.entries(healthy)) {
      await waitFor(async () => (await prometheus.query(`count(${promql})`)) > 0, { what: promql, timeoutMs: 15_000 });
      expect(await prometheus.query(promql), promql).toBe(value);
    }
  });

  it("stay quiet while recordings download", async () => {
    const mp3 = generateMp3(1);
    const completed = 'sum(anura_jobs_total{queue="recording.fetch",outcome="completed"})';
    const send = async (cdrid: string) => {
      const url = stack.recordings.serve(`/rec/${cdrid}.mp3`, mp3);
      expect((await stack.post(seedEndEvent(url, { cdrid }), { "X-API-Key": key })).status).toBe(202);
    };
    // A counter's first sample is not an increase: one download is scraped, then more, so the rate is above 0.
    await send("prom-ok-1");
    await waitFor(async () => (await prometheus.query(completed)) >= 1, { what: "first download scraped", timeoutMs: 30_000 });
    await send("prom-ok-2");
    await send("prom-ok-3");
    await waitFor(async () => (await prometheus.query("anura:recording_fetch_attempts:rate5m")) > 0, {
      what: "download attempts rated",
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 3000)); // a few more rule evaluations
    expect(await downloadAlert()).toBeUndefined();
  });

  it("raise AnuraRecordingDownloadsFailing when the recording host answers 500", async () => {
    const url = stack.recordings.route("/rec/broken.mp3", (_req, res) => void res.writeHead(500).end("internal error"));
    expect((await stack.post(seedEndEvent(url, { cdrid: "prom-500" }), { "X-API-Key": key })).status).toBe(202);
    const alert = await waitFor(
      async () => {
        const found = await downloadAlert();
        return found && found.state !== "inactive" && found;
      },
      { what: "AnuraRecordingDownloadsFailing pending or firing", timeoutMs: 45_000 },
    );
    expect(["pending", "firing"]).toContain(alert.state);
    expect(alert.annotations.runbook).toBe("README.md#anurarecordingdownloadsfailing");
    expect(alert.annotations.summary).toMatch(/of recording downloads fail/);
  });
});
