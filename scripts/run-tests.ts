// Runs the whole suite and ends with the one line CI reads: "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";

const report = "test-output/vitest.json";
mkdirSync("test-output", { recursive: true });
const run = spawnSync(
  "pnpm",
  ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);

let summary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numFailedTestSuites: 0 };
try {
  summary = JSON.parse(readFileSync(report, "utf8"));
} catch {
  console.error(`no test report at ${report}: the runner crashed before reporting`);
}
// A file that fails to load has no tests in it: count it as a failure so it cannot pass silently.
const failed = summary.numFailedTests + (summary.numFailedTests === 0 ? summary.numFailedTestSuites : 0);
const ok = run.status === 0 && failed === 0;
console.log(
  `${summary.numPassedTests} passed, ${ok ? failed : Math.max(failed, 1)} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`,
);
process.exit(ok ? 0 : 1);
