// `pnpm test:reliability`: runs the fault-injection scenarios (e2e/reliability) against the real apps
// as processes, then prints one row per scenario from the JSON each one wrote.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const dir = "test-output/reliability";
// Rows from an earlier run must not pass for this one's.
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const run = spawnSync("pnpm", ["exec", "vitest", "run", "e2e/reliability", ...process.argv.slice(2)], { stdio: "inherit" });

const columns = [
  ["scenario", "scenario"],
  ["eventsSent", "sent"],
  ["eventsAcknowledged", "acked"],
  ["callLogs", "call logs"],
  ["tasks", "tasks"],
  ["objects", "objects"],
  ["duplicates", "duplicates"],
  ["lost", "lost"],
  ["recoverySeconds", "recovery s"],
  ["afterRestartSeconds", "after restart s"],
] as const;
const rows = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
  .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, string | number>);
// Batches of calls fill the first table; other faults (start-ups with a dependency down, scrubs, ...)
// write { scenario, check, result } and fill the second.
const callRows = rows.filter((row) => "eventsSent" in row);
const checkRows = rows.filter((row) => !("eventsSent" in row));
printTable(
  columns.map(([, title]) => title),
  callRows.map((row) => columns.map(([field]) => String(row[field] ?? (field.endsWith("Seconds") ? "" : "?")))),
);
if (checkRows.length > 0) {
  printTable(
    ["scenario", "check", "result"],
    checkRows.map((row) => [String(row.scenario), String(row.check ?? ""), String(row.result ?? JSON.stringify(row))]),
    false,
  );
}
console.log(
  `\n${rows.length} scenario rows in ${dir}/ (process logs in ${dir}/logs/); vitest ${run.status === 0 ? "passed" : "FAILED"}`,
);

/** A Markdown table; numbers right-aligned unless `numeric` is false. */
function printTable(titles: string[], lines: string[][], numeric = true) {
  const cells = [titles, ...lines];
  const widths = titles.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length)));
  const right = (i: number) => numeric && i > 0;
  const format = (line: string[]) =>
    `| ${line.map((cell, i) => (right(i) ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join(" | ")} |`;
  console.log(`\n${format(titles)}`);
  console.log(`|${widths.map((w, i) => (right(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`);
  for (const line of lines) console.log(format(line));
}
process.exit(run.status ?? 1);
