import { PassThrough } from "node:stream";
import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricValue, type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let key: string;
const logs: string[] = [];

beforeAll(async () => {
  const logStream = new PassThrough();
  logStream.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  stack = await startStack({ logTo: logStream });
  key = await stack.createApiKey();
  await stack.createCampaign(1);

  // A recorded call, an unmapped one, a failing download and a rejected request: every kind of log line.
  const mp3 = generateMp3(2);
  const url = `${stack.recordings.serve("/rec/obs-1.mp3", mp3)}?token=SECRET-TOKEN-123`;
  await stack.post(seedEndEvent(url, { cdrid: "obs-1", calling: "+5491167950079", called: "011 4567-8901" }), {
    "X-API-Key": key,
  });
  await stack.post(
    seedEndEvent(
      `${stack.recordings.route("/rec/html", (_q, r) => void r.writeHead(200).end("<html>login</html>".repeat(200)))}?sig=abc`,
      { cdrid: "obs-2", accounttags: "campaign_99" },
    ),
    { "X-API-Key": key },
  );
  await stack.post(seedEndEvent(url, { cdrid: "x".repeat(40), calling: "+5491100000042" }), { "X-API-Key": key });
  await stack.post({ hooktrigger: "END", cdrid: "obs-3" }, { "X-API-Key": `${key}-wrong` });
  await waitFor(() => findTask(stack.db, taskIdFor("obs-1")), { what: "task" });
  await waitFor(async () => (await stack.sql`select 1 from anura_calls where cdrid = 'obs-2'`).length > 0, {
    what: "unmapped call",
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
});
afterAll(() => stack?.close());

describe("metrics", () => {
  it("the ingester serves Prometheus series for requests, latency, events and queues", async () => {
    const text = await fetch(`${stack.baseUrl}/metrics`).then((r) => r.text());
    expect(metricValue(text, `anura_http_requests_total{route="/webhook/anura{/}",status="202"}`)).toBe(2);
    expect(metricValue(text, `anura_http_requests_total{route="/webhook/anura{/}",status="422"}`)).toBe(1);
    expect(text).toMatch(/anura_http_request_duration_seconds_bucket\{le="0.01",route="\/webhook\/anura\{\/\}"\}/);
    expect(metricValue(text, `anura_webhook_events_total{trigger="END",via="queue"}`)).toBe(2);
    expect(metricValue(text, `anura_queue_jobs{queue="recording.fetch",state="failed"}`)).toBe(1);
    expect(metricValue(text, `anura_queue_oldest_waiting_seconds{queue="call.event"}`)).toBe(0);
  });

  it("each worker serves job outcomes, downloads, tasks and unmapped calls, with health and readiness", async () => {
    const base = `http://127.0.0.1:${stack.worker?.opsPort}`;
    const text = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(metricValue(text, `anura_jobs_total{queue="recording.fetch",outcome="completed",reason=""}`)).toBe(1);
    expect(metricValue(text, `anura_jobs_total{queue="recording.fetch",outcome="failed",reason="RecordingRejected"}`)).toBe(1);
    expect(metricValue(text, `anura_recordings_stored_total`)).toBe(1);
    expect(metricValue(text, `anura_recording_bytes_count`)).toBe(1);
    expect(metricValue(text, `anura_tasks_created_total`)).toBe(1);
    expect(metricValue(text, `anura_unmapped_calls`)).toBe(1);
    expect(await fetch(`${base}/healthz`).then((r) => r.status)).toBe(200);
    expect(await fetch(`${base}/readyz`).then((r) => r.json())).toMatchObject({
      ready: true,
      dependencies: { postgres: { up: true }, redis: { up: true }, s3: { up: true } },
    });
  });
});

describe("logs", () => {
  it("are structured JSON with the job and call on each job line", () => {
    const lines = logs
      .join("")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.find((l) => l.msg === "recording stored")).toMatchObject({
      jobId: expect.stringMatching(/^fetch-/),
      callId: "obs-1",
    });
  });

  it("never contain a phone number, an API key or a recording URL's query string", () => {
    const text = logs.join("");
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of ["5491167950079", "4567-8901", "5491100000042", key, "SECRET-TOKEN-123", "sig=abc"]) {
      expect(text, `logs contain ${secret}`).not.toContain(secret);
    }
  });
});
