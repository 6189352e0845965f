import { describe, expect, it } from "vitest";
import { formatDuration } from "../src/http/html.ts";

describe("formatDuration, the one way the dashboard writes a duration", () => {
  it.each([
    [null, "-"],
    [0, "0 ms"],
    [672.4, "672 ms"],
    [1000, "1 s"],
    [1440, "1.4 s"],
    [9_960, "10 s"],
    [45_200, "45 s"],
    [120_000, "2 min"],
    [125_000, "2 min 5 s"],
    [3_600_000, "1 h"],
    [12_000_000, "3 h 20 min"],
    [187_200_000, "2 d 4 h"],
  ])("%s ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
