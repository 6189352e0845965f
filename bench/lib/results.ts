import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Row } from "./table.ts";

const DIR = "bench/results";

export interface Results {
  startedAt: Date;
  seconds: number;
  machine: Record<string, unknown>;
  rows: Row[];
  /** Every round of every measure, not just the medians in `rows`. */
  rounds: Record<string, unknown>;
}

/** Write latest.json, plus a timestamped copy so earlier runs stay comparable. */
export function writeResults(results: Results): string {
  mkdirSync(DIR, { recursive: true });
  const text = `${JSON.stringify({ ...results, seconds: Math.round(results.seconds) }, null, 2)}\n`;
  const file = join(DIR, "latest.json");
  writeFileSync(file, text);
  writeFileSync(join(DIR, `${results.startedAt.toISOString().replace(/[:.]/g, "-")}.json`), text);
  return file;
}
