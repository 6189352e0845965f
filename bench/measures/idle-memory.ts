import { appEntry } from "../../scripts/app-process.ts";
import { appEnv, appNodeArgs, startIngester, startWorker } from "../lib/apps.ts";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { type Child, freePort, memory, spawnChild, spawnNode, waitForPort } from "../lib/processes.ts";
import { median, round, sleep } from "../lib/stats.ts";

const ROUNDS = 3;
const MB = 1024 * 1024;
const GOAL_MB = 120;
const SETTLE_MS = 1500; // after the request: let start-up garbage be collected as it would be when idle

async function startDashboard(ctx: Context) {
  const port = await freePort();
  const env = {
    ...appEnv(ctx.services),
    DASHBOARD_PORT: String(port),
    DASHBOARD_USER: "bench",
    DASHBOARD_PASSWORD: "bench-password",
  };
  const child = spawnNode("dashboard", appEntry("dashboard"), { env, nodeArgs: appNodeArgs(ctx.services, "dashboard") });
  await waitForPort(port, child, 60_000);
  return { child, url: `http://127.0.0.1:${port}/`, headers: { authorization: `Basic ${btoa("bench:bench-password")}` } };
}

/** RSS after one request and a moment of rest; the process is stopped afterwards. */
async function idleRss(child: Child, request: () => Promise<Response>): Promise<number> {
  try {
    const res = await request();
    await res.arrayBuffer();
    await sleep(SETTLE_MS);
    return round(memory(child.pid).rss / MB);
  } finally {
    await child.stop();
  }
}

async function oneRound(ctx: Context) {
  const ingester = await startIngester(ctx.services);
  const ingesterMb = await idleRss(ingester.child, () => fetch(`${ingester.url}health`));
  const worker = await startWorker(ctx.services);
  const workerMb = await idleRss(worker.child, () => fetch(`${worker.url}/healthz`));
  const dashboard = await startDashboard(ctx);
  const dashboardMb = await idleRss(dashboard.child, () => fetch(dashboard.url, { headers: dashboard.headers }));
  // A bare Node process that serves one HTTP request, for scale.
  const port = await freePort();
  const bare = spawnChild("bare-node", process.execPath, [
    "-e",
    `require("node:http").createServer((q, s) => s.end("ok")).listen(${port}, "127.0.0.1")`,
  ]);
  await waitForPort(port, bare);
  const bareMb = await idleRss(bare, () => fetch(`http://127.0.0.1:${port}/`));
  return { ingesterMb, workerMb, dashboardMb, bareMb };
}

/** (11) Resident memory of each app, fresh, after start-up and one request, beside a bare Node HTTP server. */
export async function idleMemory(ctx: Context): Promise<MeasureResult> {
  const rounds: ({ round: number } & Awaited<ReturnType<typeof oneRound>>)[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const entry = { round: index, ...(await oneRound(ctx)) };
    ctx.log(
      `  round ${index}: ingester ${entry.ingesterMb} MB, worker ${entry.workerMb} MB, dashboard ${entry.dashboardMb} MB, bare Node ${entry.bareMb} MB`,
    );
    rounds.push(entry);
  }
  const bare = median(rounds.map((r) => r.bareMb));
  const row = (app: "ingester" | "worker" | "dashboard") => {
    const project = median(rounds.map((r) => r[`${app}Mb`]));
    return {
      measure: `11 idle RSS, ${app}`,
      unit: "MB",
      project,
      baseline: bare,
      baselineName: "bare Node",
      ratio: project / bare,
      goal: `≤ ${GOAL_MB} MB`,
      pass: project <= GOAL_MB,
    };
  };
  return { rounds, rows: [row("ingester"), row("worker"), row("dashboard")] };
}
