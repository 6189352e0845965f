import { describe, expect, it } from "vitest";
import { expectedEvents, judgeSilence } from "../src/alarms/silence.ts";

const HOUR = 3_600_000;
const WEEK = 168 * HOUR;
const now = Date.UTC(2026, 10, 30, 14, 10); // 14:10 UTC
const hour = (ms: number) => ms - (ms % HOUR);

describe("usual activity", () => {
  it("weighs each hour of last week by how much of it the silent window covers", () => {
    // Window 13:40–14:10: a third of 13:00–14:00 and a sixth of 14:00–15:00, one week earlier.
    const hours = new Map([
      [hour(now - WEEK - HOUR), 60],
      [hour(now - WEEK), 120],
    ]);
    expect(expectedEvents(hours, now, 30 * 60_000)).toBeCloseTo(60 * (20 / 60) + 120 * (10 / 60));
  });

  it("ignores traffic at other hours of the week", () => {
    const hours = new Map([
      [hour(now - WEEK - 3 * HOUR), 500],
      [hour(now - 24 * HOUR), 500],
    ]);
    expect(expectedEvents(hours, now, 30 * 60_000)).toBe(0);
  });
});

describe("silence verdict", () => {
  const key = { apiKeyId: 1, prefix: "anura_AbCdEf", name: "ventas" };
  const busy = new Map([
    [hour(now - WEEK - HOUR), 60],
    [hour(now - WEEK), 60],
  ]);

  it("is silent when the usual traffic would have sent 3 or more events and none came", () => {
    const verdict = judgeSilence({ ...key, hours: busy, lastEventAt: new Date(now - 45 * 60_000) }, new Date(now), 1800);
    expect(verdict.silent).toBe(true);
  });

  it("is not silent with an event inside the window", () => {
    const verdict = judgeSilence({ ...key, hours: busy, lastEventAt: new Date(now - 10 * 60_000) }, new Date(now), 1800);
    expect(verdict.silent).toBe(false);
  });

  it("is not silent when last week was too quiet at this hour for silence to mean anything", () => {
    const quiet = new Map([[hour(now - WEEK), 4]]); // about 1 event expected in 30 minutes
    expect(judgeSilence({ ...key, hours: quiet, lastEventAt: null }, new Date(now), 1800).silent).toBe(false);
  });

  it("is never silent without history", () => {
    expect(judgeSilence({ ...key, hours: new Map(), lastEventAt: null }, new Date(now), 1800).silent).toBe(false);
  });
});
