// `pnpm bench`: the apps as child processes on loopback, against their own database, Redis and S3.
import { readdirSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { APP_NODE_FLAGS, type AppName, compileApps } from "../scripts/app-process.ts";
import { PROFILE_DIR, type RunningApp, startIngester, startWorker } from "./lib/apps.ts";
import { fillBacklog } from "./lib/backlog.ts";
import { createBenchDatabase } from "./lib/database.ts";
import type { Context, MeasureResult } from "./lib/measure.ts";
import { stopAll } from "./lib/processes.ts";
import { summariseProfile } from "./lib/profile.ts";
import { startRecordingHost } from "./lib/recording-host.ts";
import { startRedis } from "./lib/redis.ts";
import { writeResults } from "./lib/results.ts";
import { startS3 } from "./lib/s3.ts";
import { type Row, renderTable } from "./lib/table.ts";
import { TaskWatch } from "./lib/tasks.ts";
import { burst } from "./measures/burst.ts";
import { cdrReconcile } from "./measures/cdr-reconcile.ts";
import { clusterSpread } from "./measures/cluster-spread.ts";
import { costPerCall, redisPerCall } from "./measures/cost-per-call.ts";
import { e2eLatency } from "./measures/e2e-latency.ts";
import { idleMemory } from "./measures/idle-memory.ts";
import { BACKLOG_ROUNDS_MS, ingestBacklog } from "./measures/ingest-backlog.ts";
import { ingestLatency } from "./measures/ingest-latency.ts";
import { ingestThroughput } from "./measures/ingest-throughput.ts";
import { needsAttentionRender } from "./measures/needs-attention-render.ts";
import { type PipelineRound, pipelineThroughput } from "./measures/pipeline-throughput.ts";
import { workerDrain } from "./measures/worker-drain.ts";
import { workerMemory } from "./measures/worker-memory.ts";

// The bench's knobs, read once here (they are not turbo task inputs: `pnpm bench` runs outside turbo).
// BENCH_ONLY=1,4: run just those measures. BENCH_PROFILE=1 (or ingester / worker): --cpu-prof the apps.
// BENCH_NODE_FLAGS="--max-semi-space-size=8" (or "none"): start every app with these node flags instead of its APP_NODE_FLAGS.
// `pnpm bench --check`: exit 1 when any goal fails (without it the bench is a report, failing only when a measure cannot run).
const check = process.argv.includes("--check");
// biome-ignore lint/suspicious/noUndeclaredEnvVars: see above
const BUDGET_MS = Number(process.env.BENCH_BUDGET_SECONDS ?? 600) * 1000;
// biome-ignore lint/suspicious/noUndeclaredEnvVars: see above
const only = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
// biome-ignore lint/suspicious/noUndeclaredEnvVars: see above
const profileSetting = process.env.BENCH_PROFILE ?? "";
const profile = profileSetting === "1" ? ["ingester", "worker"] : profileSetting.split(",").filter(Boolean);
// biome-ignore lint/suspicious/noUndeclaredEnvVars: see above
const nodeFlagsSetting = process.env.BENCH_NODE_FLAGS;
const nodeFlagsOverride = nodeFlagsSetting?.split(" ").filter((flag) => flag && flag !== "none");
const nodeFlags = (app: AppName) => nodeFlagsOverride ?? APP_NODE_FLAGS[app];
const wants = (id: string) => only.size === 0 || only.has(id);
const startedAt = new Date();
const loadAtStart = loadavg()[0] ?? 0;
const started = performance.now();
const log = (message: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) {
    await step().catch((error: Error) => console.error(`cleanup: ${error.message}`));
  }
  await stopAll();
}

/** Print the table of what was measured so far and write latest.json (also when the budget runs out). */
function report(): void {
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    appNodeFlags: Object.fromEntries(
      Object.entries(APP_NODE_FLAGS).map(([app, flags]) => [app, (nodeFlagsOverride ?? flags).join(" ")]),
    ),
    // Other work on the machine skews every figure: the 1-minute load average tells how busy it was.
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  };
  rows.sort((a, b) => a.measure.localeCompare(b.measure, "en", { numeric: true }));
  console.log(
    `\nmachine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `load average ${machine.loadAverage.start.toFixed(1)} at start, ${machine.loadAverage.end.toFixed(1)} at end; ` +
      `apps started with ${Object.entries(machine.appNodeFlags)
        .map(([app, flags]) => `${app}: ${flags || "no node flags"}`)
        .join(", ")}`,
  );
  console.log(renderTable(rows));
  console.log("project/baseline: medians of the rounds; ratio: median of per-round ratios (rounds interleaved)");
  for (const row of rows.filter((r) => r.note)) console.log(`  ${row.measure}: ${row.note}`);
  const file = writeResults({ startedAt, seconds: (performance.now() - started) / 1000, machine, rows, rounds });
  console.log(`\nwrote ${file} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

let aborting = false;
async function abort(reason: string, code: number): Promise<never> {
  if (!aborting) {
    aborting = true;
    console.error(`\nbench: ${reason}; stopping every process it started`);
    await cleanUp();
    report();
  }
  process.exit(code);
}
process.once("SIGINT", () => void abort("interrupted", 130));
process.once("SIGTERM", () => void abort("terminated", 143));
// The watchdog leaves 10 s to stop everything; measures aim to be done 10 s before it fires.
setTimeout(() => void abort(`over its ${BUDGET_MS / 1000} s budget`, 1), BUDGET_MS - 10_000).unref();

const rows: Row[] = [];
const rounds: Record<string, unknown> = {};
const results: Record<string, MeasureResult> = {};

async function measure(id: string, name: string, run: () => Promise<MeasureResult> | MeasureResult): Promise<void> {
  if (!wants(id)) return;
  log(`(${id}) ${name}`);
  try {
    const result = await run();
    results[id] = result;
    rounds[`${id} ${name}`] = result.rounds;
    rows.push(...result.rows);
  } catch (error) {
    console.error(error);
    rows.push(failedRow(`${id} ${name}`, error));
  }
}

/** A row saying a measure (or the setup) could not run, and why. */
function failedRow(measure: string, error: unknown) {
  return { measure, unit: "", project: null, baseline: null, ratio: null, goal: "ran", pass: false, note: String(error) };
}

try {
  if (loadAtStart > cpus().length) {
    log(`warning: the machine is busy (load average ${loadAtStart.toFixed(1)} on ${cpus().length} cores): figures will be noisy`);
  }
  log("setting up: compiled apps, database, Redis, S3, recording host, ingester");
  compileApps(); // the apps run as deployed: their compiled dist/
  const database = await createBenchDatabase();
  cleanups.push(database.close);
  const redis = await startRedis();
  cleanups.push(redis.close);
  const s3 = await startS3();
  cleanups.push(() => s3.child.stop());
  const recordings = await startRecordingHost();
  cleanups.push(recordings.close);
  const services = { database, redis, s3, recordings, prefix: "bench", profile, nodeFlags };
  const ingester = await startIngester(services);
  cleanups.push(() => ingester.child.stop());
  log(`redis ${redis.url} (pid ${redis.child.pid}), s3 ${s3.endpoint}, ingester pid ${ingester.child.pid}`);
  const ctx: Context = { services, ingester, tasks: new TaskWatch(database), deadline: started + BUDGET_MS - 20_000, log };

  // No worker runs during the ingest measures, so nothing competes with the ingester for CPU.
  await measure("1", "ingest throughput", () => ingestThroughput(ctx));
  await measure("2", "ingest latency", () => ingestLatency(ctx));
  await redis.flush(); // nothing queued by the ingest measures may reach the worker

  if (wants("4") || wants("5") || wants("7") || wants("10")) {
    const worker: RunningApp = await startWorker(services);
    cleanups.push(() => worker.child.stop());
    await measure("4", "pipeline throughput", () => pipelineThroughput(ctx, worker.child));
    const pipeline = results["4"]?.facts?.rounds as PipelineRound[] | undefined;
    if (pipeline) await measure("7", "cost per call", () => costPerCall(pipeline));
    if (pipeline) await measure("10", "Redis and CPU per recorded call", () => redisPerCall(pipeline));
    await measure("5", "END → task latency", () => e2eLatency(ctx));
    await worker.child.stop();
  }
  await measure("8", "worker drain", () => workerDrain(ctx));
  await measure("9", "burst", () => burst(ctx));
  await measure("11", "idle memory", () => idleMemory(ctx));
  await measure("12", "CDR reconciliation", () => cdrReconcile(ctx));
  await measure("13", "commands per master on a Redis Cluster", () => clusterSpread(ctx));
  await measure("14", "Needs attention render", () => needsAttentionRender(ctx));
  // Its three rounds come first; the backlog measure then fills with whatever time is left.
  const reserve = wants("3") ? BACKLOG_ROUNDS_MS + 10_000 : 0;
  await measure("6", "worker memory", () => workerMemory({ ...ctx, deadline: ctx.deadline - reserve }));
  // Last, with every worker stopped: up to 500k jobs, fewer (and the row says so) if time is short.
  await measure("3", "ingest under backlog", async () => {
    const fill = await fillBacklog(redis, services.prefix, ctx.deadline - BACKLOG_ROUNDS_MS);
    return ingestBacklog(ctx, fill);
  });
  await ingester.child.stop(); // before reading profiles: node writes them on exit
} catch (error) {
  console.error(error);
  rows.push(failedRow("setup", error));
}
await cleanUp();

report();

if (profile.length > 0) {
  // Only this run's profiles: their names carry the time the app started.
  const profiles = readdirSync(PROFILE_DIR).filter(
    (name) => Number(/-(\d+)\.cpuprofile$/.exec(name)?.[1]) >= startedAt.getTime(),
  );
  for (const name of profiles) console.log(`\n${summariseProfile(join(PROFILE_DIR, name)).join("\n")}`);
}
const failedGoals = rows.filter((row) => row.pass === false);
if (check && failedGoals.length > 0) {
  console.log(`\nbench --check: ${failedGoals.length} goal(s) failed: ${failedGoals.map((row) => row.measure).join("; ")}`);
}
process.exit(rows.some((row) => row.goal === "ran") || (check && failedGoals.length > 0) ? 1 : 0);
