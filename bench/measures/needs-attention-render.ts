import { createDb } from "@anura/db";
import { createTestDatabase } from "@anura/testing";
import { appEntry } from "../../scripts/app-process.ts";
import { appEnv, appNodeArgs } from "../lib/apps.ts";
import { seedAttentionCalls, seedFetchJobs } from "../lib/attention-seed.ts";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { freePort, spawnNode, waitForPort } from "../lib/processes.ts";
import { compareRounds, percentile, round } from "../lib/stats.ts";

const CALLS = 100_000;
const ROUNDS = 30;
const WARM_UP = 3;
const GOAL_MS = 200;
const AUTH = { authorization: `Basic ${btoa("bench:bench-password")}` };

/** A dashboard process of its own on `databaseUrl` and Redis prefix `prefix`. */
async function startDashboard(ctx: Context, databaseUrl: string, prefix: string) {
  const port = await freePort();
  const env = {
    ...appEnv(ctx.services),
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    DASHBOARD_PORT: String(port),
    DASHBOARD_USER: "bench",
    DASHBOARD_PASSWORD: "bench-password",
  };
  const child = spawnNode(`dashboard-${prefix}`, appEntry("dashboard"), {
    env,
    nodeArgs: appNodeArgs(ctx.services, "dashboard"),
  });
  await waitForPort(port, child, 60_000);
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Milliseconds from request to the last byte of the answer, which must be a 200. */
async function timed(url: string): Promise<number> {
  const began = performance.now();
  const res = await fetch(url, { headers: AUTH });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 200)}`);
  return performance.now() - began;
}

/**
 * (14) The Needs attention page (the section the overview opens with, alone) rendered by a dashboard
 * whose database holds 100,000 calls of the last day (1 % unmapped, 0.3 % without their recording in
 * BullMQ, 1 % tasks left pending…), against the same page on an empty database; the worklist's CSV;
 * and the whole overview, whose 24-hour charts cover every one of those calls: its first render
 * right after start (while the dashboard reads the complete hours), then once per round.
 */
export async function needsAttentionRender(ctx: Context): Promise<MeasureResult> {
  const seeded = await createTestDatabase();
  const empty = await createTestDatabase();
  const handle = createDb(seeded.url, { max: 2 });
  const stops: (() => Promise<unknown>)[] = [() => handle.close(), seeded.drop, empty.drop];
  try {
    const began = performance.now();
    const seed = await seedAttentionCalls(handle.sql, CALLS, { events: true });
    await seedFetchJobs(ctx.services.redis.url, "bench14", seed.awaiting);
    ctx.log(
      `  seeded ${CALLS} calls, ${CALLS * 3} events and ${seed.awaiting.length} downloads in ${((performance.now() - began) / 1000).toFixed(0)} s`,
    );
    const full = await startDashboard(ctx, seeded.url, "bench14");
    stops.unshift(() => full.child.stop());
    const firstOverviewMs = await timed(`${full.base}/`); // the dashboard's read of the complete hours is still under way
    const bare = await startDashboard(ctx, empty.url, "bench14-empty");
    stops.unshift(() => bare.child.stop());
    for (let index = 0; index < WARM_UP; index++) {
      await Promise.all([timed(`${full.base}/needs-attention`), timed(`${bare.base}/needs-attention`)]);
    }
    const rounds: {
      round: number;
      fullMs: number;
      emptyMs: number;
      csvMs: number;
      overviewMs: number;
      emptyOverviewMs: number;
    }[] = [];
    for (let index = 1; index <= ROUNDS && performance.now() < ctx.deadline; index++) {
      const fullMs = await timed(`${full.base}/needs-attention`);
      const emptyMs = await timed(`${bare.base}/needs-attention`);
      const csvMs = await timed(`${full.base}/needs-attention?format=csv`);
      const overviewMs = await timed(`${full.base}/`);
      const emptyOverviewMs = await timed(`${bare.base}/`);
      rounds.push({
        round: index,
        fullMs: round(fullMs),
        emptyMs: round(emptyMs),
        csvMs: round(csvMs),
        overviewMs: round(overviewMs),
        emptyOverviewMs: round(emptyOverviewMs),
      });
    }
    // A second dashboard on the same data, as after a restart or beside a replica: it takes the stored complete hours.
    const replica = await startDashboard(ctx, seeded.url, "bench14-replica");
    stops.unshift(() => replica.child.stop());
    const replicaFirstMs = await timed(`${replica.base}/`);
    const page = compareRounds(
      rounds.map((r) => r.fullMs),
      rounds.map((r) => r.emptyMs),
    );
    const p95 = percentile(
      rounds.map((r) => r.fullMs),
      95,
    );
    const csv = compareRounds(
      rounds.map((r) => r.csvMs),
      rounds.map((r) => r.emptyMs),
    );
    const overview = compareRounds(
      rounds.map((r) => r.overviewMs),
      rounds.map((r) => r.emptyOverviewMs),
    );
    const overviewP95 = percentile(
      rounds.map((r) => r.overviewMs),
      95,
    );
    ctx.log(
      `  /needs-attention p50 ${round(page.project)} ms (p95 ${round(p95)}), empty database ${round(page.baseline)} ms; ` +
        `CSV ${round(csv.project)} ms; whole overview p50 ${round(overview.project)} ms (p95 ${round(overviewP95)}), ` +
        `empty ${round(overview.baseline)} ms; first overview after start ${round(firstOverviewMs)} ms, ` +
        `of a second dashboard ${round(replicaFirstMs)} ms`,
    );
    return {
      rounds,
      rows: [
        {
          measure: "14 Needs attention page, 100,000 calls in the last day (p50)",
          unit: "ms",
          ...page,
          baselineName: "same page, empty database",
          goal: `< ${GOAL_MS} ms`,
          pass: page.project < GOAL_MS,
          note: `p95 ${round(p95)} ms over ${rounds.length} rounds`,
        },
        {
          measure: "14 whole overview (Needs attention + 24-hour charts), same data (p50)",
          unit: "ms",
          ...overview,
          baselineName: "same page, empty database",
          goal: `< ${GOAL_MS} ms`,
          pass: overview.project < GOAL_MS,
          note: `p95 ${round(overviewP95)} ms over ${rounds.length} rounds`,
        },
        {
          measure: "14 first overview right after the dashboard starts",
          unit: "ms",
          project: round(firstOverviewMs),
          baseline: null,
          ratio: null,
          goal: "",
          pass: null,
          note: "waits for the start-up read of the 23 complete hours",
        },
        {
          measure: "14 first overview of a second dashboard (a restart, a replica)",
          unit: "ms",
          project: round(replicaFirstMs),
          baseline: null,
          ratio: null,
          goal: "",
          pass: null,
          note: "takes the complete hours the first stored",
        },
        {
          measure: "14 Needs attention CSV, every row (p50)",
          unit: "ms",
          project: csv.project,
          baseline: null,
          ratio: null,
          goal: "",
          pass: null,
        },
      ],
    };
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
}
