import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../src/recording/retry-after.ts";

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
