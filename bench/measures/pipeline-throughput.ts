import { randomBytes } from "node:crypto";
import { jobRegistry } from "@anura/queue";
import { endEventJson } from "../lib/body.ts";
import { ask, nextMessage } from "../lib/ipc.ts";
import { type Context, inParallel, type MeasureResult, postWebhook } from "../lib/measure.ts";
import { type Child, cpuMs, spawnNode } from "../lib/processes.ts";
import { commandsBetween } from "../lib/redis.ts";
import { compareRounds, round, sleep } from "../lib/stats.ts";

const CALLS = 80; // 20 waves of 4 fetches: a steady state, yet leaves the other measures their time
const ROUNDS = 3;
/** The worker's default RECORDING_FETCH_CONCURRENCY: the raw copy gets the same number of lanes. */
const FETCH_CONCURRENCY = jobRegistry["recording.fetch"].concurrency.default;
const POST_CONCURRENCY = 16;

export interface PipelineRound {
  round: number;
  calls: number;
  seconds: number;
  callsPerSecond: number;
  rawCopyCallsPerSecond: number;
  ingesterCpuMs: number;
  workerCpuMs: number;
  rawCopyCpuMs: number;
  redisCommandsPerCall: number;
  /** The same, per command name (EVALSHA and the commands its scripts ran counted apart), largest first. */
  redisCommandsPerCallByName: Record<string, number>;
}

/** Send `count` recorded END webhooks as fast as the ingester takes them; resolves when every task row exists. */
async function pipelineRound(ctx: Context, worker: Child, label: string, count: number) {
  const ids = Array.from({ length: count }, (_, i) => `${label}-${i}-${randomBytes(3).toString("hex")}`);
  const cpu = () => ({ ingester: cpuMs(ctx.ingester.child.pid), worker: cpuMs(worker.pid) });
  const cpuBefore = cpu();
  const commandsBefore = await ctx.services.redis.commandCalls();
  const started = performance.now();
  await inParallel(ids, POST_CONCURRENCY, async (cdrid) => {
    await postWebhook(ctx, endEventJson({ cdrid, recordingUrl: ctx.services.recordings.smallUrl(cdrid) }));
  });
  const seen = await ctx.tasks.waitFor(ids, 120_000);
  const seconds = (Math.max(...seen) - started) / 1000;
  await sleep(250); // let the last jobs' bookkeeping finish so its CPU is counted
  const cpuAfter = cpu();
  const commandsAfter = await ctx.services.redis.commandCalls();
  // Blocking pops and idle polling included: what a worker costs Redis per call at this pace.
  const byName = commandsBetween(commandsBefore, commandsAfter);
  const commands = byName.reduce((sum, [, calls]) => sum + calls, 0);
  return {
    seconds,
    ingesterCpuMs: cpuAfter.ingester - cpuBefore.ingester,
    workerCpuMs: cpuAfter.worker - cpuBefore.worker,
    redisCommandsPerCall: round(commands / count, 1), // our own INFO left out above
    redisCommandsPerCallByName: Object.fromEntries(byName.map(([name, calls]) => [name, round(calls / count, 1)])),
  };
}

async function rawCopyRound(ctx: Context, copier: Child, label: string, count: number) {
  const urls = Array.from({ length: count }, (_, i) => ctx.services.recordings.smallUrl(`${label}-${i}`));
  const cpuBefore = cpuMs(copier.pid);
  const { ms } = await ask<{ ms: number }>(copier, { urls, keyPrefix: `raw/${label}` }, 120_000);
  return { seconds: ms / 1000, cpuMs: cpuMs(copier.pid) - cpuBefore };
}

/**
 * (4) Recorded calls per second from END webhook to task row (1 MB recordings), against a raw
 * got → minio stream copy of the same files with the same concurrency, rounds interleaved.
 */
export async function pipelineThroughput(ctx: Context, worker: Child): Promise<MeasureResult> {
  const { s3 } = ctx.services;
  const copier = spawnNode("raw-copy", "bench/baselines/raw-copy.ts", {
    ipc: true,
    args: [String(FETCH_CONCURRENCY)],
    env: {
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: s3.bucket,
    },
  });
  try {
    await nextMessage(copier);
    await pipelineRound(ctx, worker, "warm", 16);
    await rawCopyRound(ctx, copier, "warm", 16);
    const rounds: PipelineRound[] = [];
    for (let index = 1; index <= ROUNDS; index++) {
      const pipeline = await pipelineRound(ctx, worker, `p${index}`, CALLS);
      const raw = await rawCopyRound(ctx, copier, `r${index}`, CALLS);
      const entry = {
        round: index,
        calls: CALLS,
        seconds: round(pipeline.seconds, 2),
        callsPerSecond: round(CALLS / pipeline.seconds),
        rawCopyCallsPerSecond: round(CALLS / raw.seconds),
        ingesterCpuMs: pipeline.ingesterCpuMs,
        workerCpuMs: pipeline.workerCpuMs,
        rawCopyCpuMs: raw.cpuMs,
        redisCommandsPerCall: pipeline.redisCommandsPerCall,
        redisCommandsPerCallByName: pipeline.redisCommandsPerCallByName,
      };
      ctx.log(`  round ${index}: pipeline ${entry.callsPerSecond} calls/s, raw copy ${entry.rawCopyCallsPerSecond} calls/s`);
      rounds.push(entry);
    }
    const { project, baseline, ratio } = compareRounds(
      rounds.map((r) => r.callsPerSecond),
      rounds.map((r) => r.rawCopyCallsPerSecond),
    );
    return {
      rounds,
      facts: { rounds },
      rows: [
        {
          measure: `4 pipeline throughput, ${CALLS} × 1 MB recorded calls`,
          unit: "calls/s",
          project,
          baseline,
          baselineName: "raw copy",
          ratio,
          goal: "≥ 0.5×",
          pass: ratio >= 0.5,
        },
      ],
    };
  } finally {
    await copier.stop();
  }
}
