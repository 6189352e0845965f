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
] as const;
const rows = readdirSync(dir)
  .filter((name) => name.endsWith(".json"))
  .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
  .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, string | number>);
const cells = [
  columns.map(([, title]) => title),
  ...rows.map((row) => columns.map(([field]) => String(row[field] ?? (field === "recoverySeconds" ? "" : "?")))),
];
const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length)));
const format = (line: string[]) =>
  `| ${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join(" | ")} |`;
console.log(`\n${format(cells[0] as string[])}`);
console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const line of cells.slice(1)) console.log(format(line));
console.log(
  `\n${rows.length} scenario rows in ${dir}/ (process logs in ${dir}/logs/); vitest ${run.status === 0 ? "passed" : "FAILED"}`,
);
process.exit(run.status ?? 1);
