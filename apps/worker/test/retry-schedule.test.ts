import { describe, expect, it } from "vitest";
import { parseRetryAfter, recordingRetryDelayMs } from "../src/recording/retry-schedule.ts";

describe("the delay before the next attempt at a recording", () => {
  const schedule = [10, 30, 60];

  it("follows RECORDING_RETRY_DELAYS with ±20% jitter, repeating its last step", () => {
    for (let i = 0; i < 200; i++) {
      for (const [attempt, step] of [
        [1, 10],
        [2, 30],
        [3, 60],
        [4, 60],
        [50, 60],
      ] as const) {
        const delay = recordingRetryDelayMs(attempt, schedule);
        expect(delay).toBeGreaterThanOrEqual(step * 800);
        expect(delay).toBeLessThanOrEqual(step * 1200);
      }
    }
  });

  it("is jittered, so calls that failed together do not retry together", () => {
    const delays = new Set(Array.from({ length: 20 }, () => recordingRetryDelayMs(1, schedule)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it("waits at least as long as Retry-After asks, but never less than the schedule", () => {
    expect(recordingRetryDelayMs(1, schedule, 120_000)).toBe(120_000);
    expect(recordingRetryDelayMs(1, schedule, 1000)).toBeGreaterThanOrEqual(8000);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-02-10T13:30:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 5 ", now)).toBe(5000);
    expect(parseRetryAfter("Tue, 10 Feb 2026 13:31:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Tue, 10 Feb 2026 13:29:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
