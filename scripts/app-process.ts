// How an app process starts: scripts/start-all.ts, the e2e process stack and the bench start the apps
// through this; the Dockerfile (NODE_OPTIONS, CMD) and the start:<app> scripts in package.json repeat
// it (keep all in step).
import { execFileSync } from "node:child_process";

export type AppName = "ingester" | "worker" | "dashboard";

// V8 sizes the young generation from the machine's memory (a 64 MB new space on 24 GB) and keeps it
// once grown: that was half of an idle app's RSS. Dead download chunks wait for the next scavenge, so
// 1 MB semi-spaces also halve what a large recording adds; drain and ingest rates stay as they were
// (README, Performance: measures 1, 6, 8 and 11). The bench may replace these (BENCH_NODE_FLAGS).
export const APP_NODE_FLAGS = ["--max-semi-space-size=1"];

/** Makes every @anura package resolve to its compiled dist/ (the "anura-compiled" export condition). */
export const COMPILED = "--conditions=anura-compiled";

/** The compiled entry point an app process runs: no type stripping at run time, about 30 MB less per process. */
export const appEntry = (app: AppName) => `apps/${app}/dist/main.js`;

/** Node's arguments for an app process. */
export const appArgs = (app: AppName, flags: string[] = APP_NODE_FLAGS) => [...flags, COMPILED, appEntry(app)];

/** Compile the sources into dist/ (scripts/compile.ts); run before starting app processes from this checkout. */
export function compileApps(): void {
  // Node calls stripTypeScriptTypes experimental, though it is the stripper every .ts file here runs through.
  // Its summary line is left out; an error (a source the stripper rejects) is shown.
  execFileSync(process.execPath, ["--disable-warning=ExperimentalWarning", "scripts/compile.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}
