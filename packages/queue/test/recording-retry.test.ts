import { workerSettings } from "@anura/config";
import { describe, expect, it } from "vitest";
import { concurrencyOf, JOB_NAMES, jobRegistry } from "../src/index.ts";

const retry = jobRegistry["recording.fetch"].retry;
const schedule = { delaysSeconds: [10, 30, 60], horizonMs: 3_600_000 };
const DEFAULT_SCHEDULE = { delaysSeconds: [10, 30, 60, 120, 300, 900, 3600], horizonMs: 24 * 3_600_000 };

describe("recording.fetch's retry rule", () => {
  it("waits RECORDING_RETRY_DELAYS between attempts with ±20% jitter, repeating its last step", () => {
    for (let i = 0; i < 200; i++) {
      for (const [attempt, step] of [
        [1, 10],
        [2, 30],
        [3, 60],
        [4, 60],
        [50, 60],
      ] as const) {
        const delay = retry.delayMs(attempt, schedule);
        expect(delay).toBeGreaterThanOrEqual(step * 800);
        expect(delay).toBeLessThanOrEqual(step * 1200);
      }
    }
  });

  it("is jittered, so calls that failed together do not retry together", () => {
    const delays = new Set(Array.from({ length: 20 }, () => retry.delayMs(1, schedule)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it("waits at least as long as Retry-After asks, but never less than the schedule", () => {
    expect(retry.delayMs(1, schedule, 120_000)).toBe(120_000);
    expect(retry.delayMs(1, schedule, 1000)).toBeGreaterThanOrEqual(8000);
  });

  it("gives up once the next attempt would start past RECORDING_RETRY_HORIZON, and not before", () => {
    const queuedAgo = (ms: number) => ({ timestamp: Date.now() - ms, attemptsMade: 5 }); // next step: 60 s ± 20%
    expect(retry.isLastAttempt(queuedAgo(3_600_000 - 47_000), schedule)).toBe(true);
    expect(retry.isLastAttempt(queuedAgo(3_600_000 - 73_000), schedule)).toBe(false);
    expect(retry.isLastAttempt(queuedAgo(60_000), schedule, 3_600_000)).toBe(true); // Retry-After past the horizon
    expect(retry.givesUpAt(new Date("2026-11-30T10:00:01Z"), DEFAULT_SCHEDULE)).toEqual(new Date("2026-12-01T10:00:01Z"));
  });

  it("tells how many attempts fit in the horizon: the dashboard's 'attempt n of about N'", () => {
    expect(retry.expectedAttempts(DEFAULT_SCHEDULE)).toBe(30);
    expect(retry.expectedAttempts({ delaysSeconds: [60], horizonMs: 5 * 60_000 })).toBe(6);
  });

  it("is the backoff every recording.fetch job is added with", () => {
    expect(jobRegistry["recording.fetch"].options.backoff).toEqual({ type: retry.backoff });
  });
});

describe("per-queue concurrency", () => {
  const s3 = { S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "key", S3_SECRET_KEY: "secret-key" };
  const concurrency = (env: Record<string, string>) =>
    Object.fromEntries(JOB_NAMES.map((name) => [name, concurrencyOf(name, workerSettings.parse({ ...s3, ...env }).concurrency)]));

  it("takes each job's default when its variable is unset, and cdr.reconcile runs one at a time", () => {
    expect(concurrency({})).toEqual({ "call.event": 8, "recording.fetch": 4, "task.create": 8, "cdr.reconcile": 1 });
  });

  it("takes each *_CONCURRENCY variable for its own job only", () => {
    expect(concurrency({ RECORDING_FETCH_CONCURRENCY: "2" })).toEqual({
      "call.event": 8,
      "recording.fetch": 2,
      "task.create": 8,
      "cdr.reconcile": 1,
    });
    expect(concurrency({ CALL_EVENT_CONCURRENCY: "3", TASK_CREATE_CONCURRENCY: "5" })).toMatchObject({
      "call.event": 3,
      "task.create": 5,
    });
  });
});
