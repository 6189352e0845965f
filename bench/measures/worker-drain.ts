import { jobRegistry } from "@anura/queue";
import { startWorker } from "../lib/apps.ts";
import { callEventJobs, INGESTER_BATCH, queueJobs } from "../lib/drain-events.ts";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { cpuMs, spawnNode } from "../lib/processes.ts";
import { compareRounds, round, sleep } from "../lib/stats.ts";

const CALLS = 2000; // × START, TALK, END
const ROUNDS = 3;
/** The worker's default CALL_EVENT_CONCURRENCY: the bare worker gets the same. */
const CONCURRENCY = jobRegistry["call.event"].concurrency.default;
/** The worker's Postgres pool (apps/worker/src/start-worker.ts): the bare worker gets the same. */
const POOL_SIZE = 2;
const BARE_PREFIX = "bare";

/** Poll `count` until it reaches `target`; returns performance.now() when it did. */
async function until(count: () => Promise<number>, target: number, timeoutMs: number, what: string): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = performance.now();
    const seen = await count();
    if (seen >= target) return now;
    if (now > deadline) throw new Error(`${what}: ${seen} of ${target} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** One worker process with its defaults on 3 × CALLS waiting events: seconds from its start to the last final call log. */
async function projectRound(ctx: Context, label: string, eventsPerJob: number) {
  const { database, redis } = ctx.services;
  await queueJobs(redis.url, ctx.services.prefix, callEventJobs(label, CALLS), eventsPerJob);
  const started = performance.now();
  const worker = await startWorker(ctx.services);
  const cpuStart = cpuMs(worker.child.pid);
  try {
    // Final: the END's duration is in the log, whatever order the three events were taken in.
    const done = await until(
      async () =>
        (
          await database.sql<{ n: number }[]>`
          select count(*)::int as n from call_logs where call_id like ${`${label}-%`} and sectot = 120`
        )[0]?.n ?? 0,
      CALLS,
      120_000,
      "final call logs",
    );
    return { seconds: (done - started) / 1000, workerCpuMs: cpuMs(worker.child.pid) - cpuStart };
  } finally {
    await worker.child.stop();
  }
}

async function bareRound(ctx: Context, label: string) {
  const { database, redis } = ctx.services;
  await queueJobs(redis.url, BARE_PREFIX, callEventJobs(label, CALLS));
  const started = performance.now();
  const bare = spawnNode("bare-worker", "bench/baselines/bare-worker.ts", {
    env: { DATABASE_URL: database.url, REDIS_URL: redis.url },
    nodeArgs: ctx.services.nodeFlags("worker"), // the worker's own flags (APP_NODE_FLAGS or BENCH_NODE_FLAGS)
    args: ["call.event", BARE_PREFIX, String(CONCURRENCY), String(POOL_SIZE)],
  });
  try {
    const done = await until(
      async () =>
        (
          await database.sql<{ n: number }[]>`
          select count(*)::int as n from bench_bare_events where cdrid like ${`${label}-%`}`.catch(() => [{ n: 0 }])
        )[0]?.n ?? 0,
      3 * CALLS,
      120_000,
      "bare worker inserts",
    );
    return { seconds: (done - started) / 1000, cpuMs: cpuMs(bare.pid) };
  } finally {
    await bare.stop();
  }
}

interface DrainRound {
  round: number;
  seconds: number;
  eventsPerSecond: number;
  workerCpuMsPerEvent: number;
  bareSeconds: number;
  bareEventsPerSecond: number;
  bareCpuMsPerEvent: number;
  aloneEventsPerSecond: number;
  aloneCpuMsPerEvent: number;
}

/**
 * (8) Events/s from a fresh worker's start until the last call log, 6,000 waiting START/TALK/END
 * events of 2,000 calls (shuffled, no recordings), queued as the ingester batches them under load,
 * against a bare BullMQ worker doing one INSERT per job; and the same events one job each (lone webhooks).
 */
export async function workerDrain(ctx: Context): Promise<MeasureResult> {
  const events = 3 * CALLS;
  const rounds: DrainRound[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const project = await projectRound(ctx, `d${index}`, INGESTER_BATCH);
    const bare = await bareRound(ctx, `b${index}`);
    const alone = await projectRound(ctx, `s${index}`, 1);
    const entry = {
      round: index,
      seconds: round(project.seconds, 2),
      eventsPerSecond: round(events / project.seconds),
      workerCpuMsPerEvent: round(project.workerCpuMs / events, 3),
      bareSeconds: round(bare.seconds, 2),
      bareEventsPerSecond: round(events / bare.seconds),
      bareCpuMsPerEvent: round(bare.cpuMs / events, 3), // start-up included: the bare worker has little
      aloneEventsPerSecond: round(events / alone.seconds),
      aloneCpuMsPerEvent: round(alone.workerCpuMs / events, 3),
    };
    ctx.log(
      `  round ${index}: worker ${entry.eventsPerSecond} events/s (${entry.aloneEventsPerSecond} one job each), bare BullMQ + INSERT ${entry.bareEventsPerSecond} jobs/s`,
    );
    rounds.push(entry);
  }
  const bareRates = rounds.map((r) => r.bareEventsPerSecond);
  const batched = compareRounds(
    rounds.map((r) => r.eventsPerSecond),
    bareRates,
  );
  const alone = compareRounds(
    rounds.map((r) => r.aloneEventsPerSecond),
    bareRates,
  );
  const cpu = (key: keyof DrainRound) => rounds.map((r) => r[key]).join(" / ");
  return {
    rounds,
    rows: [
      {
        measure: `8 worker drain, ${events} waiting events of ${CALLS} calls, ${INGESTER_BATCH} to a job`,
        unit: "events/s",
        project: batched.project,
        baseline: batched.baseline,
        baselineName: "BullMQ + 1 INSERT",
        ratio: batched.ratio,
        goal: "≥ 0.8×",
        pass: batched.ratio >= 0.8,
        note:
          `as one ingester batches 50 concurrent webhooks (the bare worker: one job per event); start-up included for both, concurrency ${CONCURRENCY}, ${POOL_SIZE} Postgres connections, node flags ${ctx.services.nodeFlags("worker").join(" ") || "none"}; CPU per event: worker ${cpu("workerCpuMsPerEvent")} ms ` +
          `(start-up excluded), bare ${cpu("bareCpuMsPerEvent")} ms`,
      },
      {
        measure: "8 same, one job per event (lone webhooks)",
        unit: "events/s",
        project: alone.project,
        baseline: alone.baseline,
        baselineName: "BullMQ + 1 INSERT",
        ratio: alone.ratio,
        goal: "",
        pass: null,
        note: `CPU per event: worker ${cpu("aloneCpuMsPerEvent")} ms`,
      },
    ],
  };
}
