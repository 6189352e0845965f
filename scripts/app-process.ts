// How an app process starts: scripts/start-all.ts, the e2e process stack and the bench start the apps
// through this.
import { execFileSync } from "node:child_process";

export type AppName = "ingester" | "worker" | "dashboard";

// Each app's node flags; the Dockerfile, docker-compose.yml and the start:<app> scripts repeat them
// (scripts/app-process.test.ts keeps them in step). The bench may replace them (BENCH_NODE_FLAGS).
// V8 sizes the young generation from the machine's memory (a 64 MB new space on 24 GB) and keeps it
// once grown: that was half of an idle app's RSS. Dead download chunks wait for the next scavenge, so
// 1 MB semi-spaces also halve what a large recording adds (README, Performance: measures 6, 8 and 11).
const SMALL_YOUNG_GENERATION = "--max-semi-space-size=1";
export const APP_NODE_FLAGS: Record<AppName, string[]> = {
  // A webhook's objects live a Redis round trip: with 1 MB semi-spaces 13 KB of each was promoted and
  // the old generation compacted every second of a burst. 4 MB semi-spaces, an old generation let
  // grow to 3x what lives, and no allocation-site pretenuring: burst p99 6 ms, not 15 (README,
  // "The ingester's heap").
  ingester: ["--max-semi-space-size=4", "--heap-growing-percent=200", "--no-allocation-site-pretenuring"],
  worker: [SMALL_YOUNG_GENERATION],
  dashboard: [SMALL_YOUNG_GENERATION],
};

/** Makes every @anura package resolve to its compiled dist/ (the "anura-compiled" export condition). */
export const COMPILED = "--conditions=anura-compiled";

/** The compiled entry point an app process runs: no type stripping at run time, about 30 MB less per process. */
export const appEntry = (app: AppName) => `apps/${app}/dist/main.js`;

/** Node's arguments for an app process. */
export const appArgs = (app: AppName, flags: string[] = APP_NODE_FLAGS[app]) => [...flags, COMPILED, appEntry(app)];

/** Compile the sources into dist/ (scripts/compile.ts); run before starting app processes from this checkout. */
export function compileApps(): void {
  // Node calls stripTypeScriptTypes experimental, though it is the stripper every .ts file here runs through.
  // Its summary line is left out; an error (a source the stripper rejects) is shown.
  execFileSync(process.execPath, ["--disable-warning=ExperimentalWarning", "scripts/compile.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}
