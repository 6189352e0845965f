import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OUTPUT_DIR } from "./end-state.ts";

/** A row of `pnpm test:reliability`'s second table: a fault that is not a batch of calls, and what happened. */
export interface CheckRow {
  scenario: string;
  check: string;
  result: string;
}

export async function writeCheckRow(row: CheckRow): Promise<void> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  await writeFile(join(OUTPUT_DIR, `${row.scenario}.json`), `${JSON.stringify(row, null, 2)}\n`);
}
