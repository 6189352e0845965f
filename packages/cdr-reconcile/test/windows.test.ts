import { describe, expect, it } from "vitest";
import { MAX_WINDOW_MS, nextWindow } from "../src/windows.ts";

const rules = { settleMs: 180_000, overlapMs: 900_000, maxWindowMs: MAX_WINDOW_MS };
const now = Date.parse("2026-03-02T15:00:00Z");
const minutes = (n: number) => n * 60_000;

describe("the next window of Anura's CDR list", () => {
  it("the first one ever looks back the overlap and stops short of CDRs still settling", () => {
    expect(nextWindow(null, now, rules)).toEqual({
      startsAt: new Date(now - minutes(15)),
      endsAt: new Date(now - minutes(3)),
      newFrom: new Date(now - minutes(15)),
    });
  });

  it("each next one starts the overlap before the last successful end", () => {
    const last = new Date(now - minutes(8));
    expect(nextWindow(last, now, rules)).toEqual({
      startsAt: new Date(now - minutes(23)),
      endsAt: new Date(now - minutes(3)),
      newFrom: last,
    });
  });

  it("after a long outage, catches up in windows of at most an hour past the last end", () => {
    const last = new Date(now - 24 * minutes(60));
    const window = nextWindow(last, now, rules);
    expect(window?.endsAt).toEqual(new Date(last.getTime() + MAX_WINDOW_MS));
    expect(window?.startsAt).toEqual(new Date(last.getTime() - minutes(15)));
  });

  it("nothing to do when the last window already reaches now − settle", () => {
    expect(nextWindow(new Date(now - minutes(3)), now, rules)).toBeNull();
  });
});
