import { randomBytes } from "node:crypto";
import { startRedisCluster } from "@anura/testing";
import { appEntry } from "../../scripts/app-process.ts";
import { appEnv, appNodeArgs, type RunningApp } from "../lib/apps.ts";
import { endEvent } from "../lib/body.ts";
import { type Context, inParallel, type MeasureResult, postWebhook } from "../lib/measure.ts";
import { freePort, spawnNode, waitForPort } from "../lib/processes.ts";
import { round, sleep } from "../lib/stats.ts";
import type { Row } from "../lib/table.ts";

const CALLS = 120;
const POST_CONCURRENCY = 8;
const GOAL_SHARE = 50;

/**
 * (13) On a six-node Redis Cluster (3 masters, 3 replicas), the share of Redis commands the busiest
 * master serves while recorded calls (START, TALK, END, download, task) flow, with call.event and
 * recording.fetch as one queue each (QUEUE_PARTITIONS=1) and each split in three. Commands are INFO commandstats per master, scripts'
 * inner calls and the workers' idle polling included.
 */
export async function clusterSpread(ctx: Context): Promise<MeasureResult> {
  const cluster = await startRedisCluster({ masters: 3 });
  try {
    const rounds = [];
    for (const partitions of [1, 3]) rounds.push({ partitions, ...(await spreadRound(ctx, cluster, partitions)) });
    const rows: Row[] = rounds.map((r) => ({
      measure: `13 Redis commands on the busiest of 3 cluster masters, QUEUE_PARTITIONS=${r.partitions}`,
      unit: "%",
      project: r.busiestShare,
      baseline: null,
      ratio: null,
      goal: r.partitions === 3 ? `≤ ${GOAL_SHARE} %` : "",
      pass: r.partitions === 3 ? r.busiestShare <= GOAL_SHARE : null,
      note: `${CALLS} recorded calls; commands per master ${r.perMaster.join(" / ")} (${r.perCall} per call)`,
    }));
    return { rows, rounds };
  } finally {
    await cluster.stop();
  }
}

async function spreadRound(ctx: Context, cluster: Awaited<ReturnType<typeof startRedisCluster>>, partitions: number) {
  const env = {
    ...appEnv(ctx.services),
    REDIS_CLUSTER_NODES: cluster.seeds,
    // Its own prefix per round: nothing the other round left behind is polled.
    QUEUE_PREFIX: `{spread${partitions}}`,
    QUEUE_PARTITIONS: String(partitions),
  };
  const ingester = await startApp(ctx, "ingester", { ...env, PORT: "" });
  const worker = await startApp(ctx, "worker", { ...env, WORKER_METRICS_PORT: "" });
  try {
    await sleep(1000); // the workers' first polls and version checks are start-up, not load
    await cluster.resetStats();
    const ids = Array.from({ length: CALLS }, (_, i) => `spread${partitions}-${i}-${randomBytes(3).toString("hex")}`);
    const target = { ...ctx, ingester: { ...ingester, url: `${ingester.url}/webhook/anura/` } };
    await inParallel(ids, POST_CONCURRENCY, async (cdrid) => {
      const end = endEvent({ cdrid, recordingUrl: ctx.services.recordings.smallUrl(cdrid) });
      for (const hooktrigger of ["START", "TALK"]) {
        await postWebhook(target, JSON.stringify({ ...end, hooktrigger, wasrecorded: false, audio_file_mp3: "" }));
      }
      await postWebhook(target, JSON.stringify(end));
    });
    await ctx.tasks.waitFor(ids, 120_000);
    await sleep(250);
    const perMaster = [...(await cluster.commandsPerMaster()).values()].sort((a, b) => b - a);
    const total = perMaster.reduce((sum, calls) => sum + calls, 0);
    ctx.log(`  QUEUE_PARTITIONS=${partitions}: commands per master ${perMaster.join(" / ")}`);
    return {
      perMaster,
      perCall: round(total / CALLS, 1),
      busiestShare: round((100 * (perMaster[0] ?? 0)) / total, 1),
    };
  } finally {
    await Promise.all([ingester.child.stop(), worker.child.stop()]);
  }
}

async function startApp(ctx: Context, app: "ingester" | "worker", env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const portVariable = app === "ingester" ? "PORT" : "WORKER_METRICS_PORT";
  const child = spawnNode(`${app}-cluster`, appEntry(app), {
    env: { ...env, [portVariable]: String(port) },
    nodeArgs: appNodeArgs(ctx.services, app),
  });
  await waitForPort(port, child, 60_000);
  return { child, port, url: `http://127.0.0.1:${port}` };
}
