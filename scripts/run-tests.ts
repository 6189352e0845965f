// Runs the whole suite, vitest then the container test (`pnpm test:containers`), and ends with the one
// line CI reads: "N passed, N failed, N skipped", the two added up. With arguments (a vitest filter),
// only vitest runs.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";

const report = "test-output/vitest.json";
mkdirSync("test-output", { recursive: true });
const args = process.argv.slice(2);
const run = spawnSync(
  "pnpm",
  ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
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
const vitestOk = run.status === 0 && failed === 0;
const total = { passed: summary.numPassedTests, failed: vitestOk ? failed : Math.max(failed, 1) };
console.log(`vitest: ${total.passed} passed, ${total.failed} failed`);

if (args.length === 0) {
  const containers = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = spawn("node", ["e2e/containers/run.ts"], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk); // its progress, as it comes
      stdout += chunk.toString();
    });
    child.once("close", (status) => resolve({ status, stdout }));
  });
  const counts = /^(\d+) passed, (\d+) failed$/.exec(containers.stdout.trimEnd().split("\n").at(-1) ?? "");
  // No closing line means the test itself crashed: one failure, never a silent pass.
  const passed = counts ? Number(counts[1]) : 0;
  const containerFailed = counts ? Number(counts[2]) : 1;
  total.passed += passed;
  total.failed += containerFailed === 0 && containers.status !== 0 ? 1 : containerFailed;
}
console.log(`${total.passed} passed, ${total.failed} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`);
process.exit(total.failed === 0 ? 0 : 1);
