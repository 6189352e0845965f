import { type RunningApp, startBaselineServer } from "../lib/apps.ts";
import { endEventJson } from "../lib/body.ts";
import { load } from "../lib/load.ts";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { cpuMs } from "../lib/processes.ts";
import { median, pairedRatio, round, sleep } from "../lib/stats.ts";

export const CONNECTIONS = 50;
export const ROUND_SECONDS = 5;
const ROUNDS = 3;

export interface Target {
  name: string;
  app: RunningApp;
  /** The ingester enqueues: empty its Redis database after each round so every round starts from an empty queue. */
  flush: boolean;
}

export interface ThroughputRound {
  round: number;
  target: string;
  rps: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  serverCpuMsPerRequest: number;
  redisCpuMsPerRequest: number;
  /** Redis commands per request, by command (the bench's own INFO/FLUSHALL excluded). */
  redisCommandsPerRequest: Record<string, number>;
}

/** One full-speed round against a target: 50 connections, the ~1.2 KB END body, a valid key. */
export async function throughputRound(
  ctx: Context,
  target: Target,
  index: number,
  seconds = ROUND_SECONDS,
): Promise<ThroughputRound> {
  const { redis } = ctx.services;
  const cpuBefore = cpuMs(target.app.child.pid);
  const redisCpuBefore = cpuMs(redis.child.pid);
  const callsBefore = await redis.commandCalls();
  const result = await load({
    url: target.app.url,
    body: endEventJson({ cdrid: "1700000001.4521" }),
    headers: { "x-api-key": ctx.services.database.apiKey },
    connections: CONNECTIONS,
    seconds,
  });
  await sleep(200); // requests still in flight when autocannon stopped land now, not in the next round
  const cpu = cpuMs(target.app.child.pid) - cpuBefore;
  const redisCpu = cpuMs(redis.child.pid) - redisCpuBefore;
  const callsAfter = await redis.commandCalls();
  if (target.flush) await redis.flushDb();
  const perRequest = (value: number) => round(value / Math.max(1, result.total), 3);
  const commands = Object.entries(callsAfter)
    .filter(([name]) => !["info", "flushall", "flushdb", "swapdb"].includes(name))
    .map(([name, calls]) => [name, perRequest(calls - (callsBefore[name] ?? 0))] as const)
    .filter(([, perCall]) => perCall > 0);
  return {
    round: index,
    target: target.name,
    rps: round(result.rps, 0),
    total: result.total,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: result.statusCodes,
    serverCpuMsPerRequest: perRequest(cpu),
    redisCpuMsPerRequest: perRequest(redisCpu),
    redisCommandsPerRequest: Object.fromEntries(commands),
  };
}

/** (1) Ingester vs bare node:http and bare Express, interleaved round by round so drift hits all alike. */
export async function ingestThroughput(ctx: Context): Promise<MeasureResult> {
  const nodeHttp = await startBaselineServer("node:http", "bench/baselines/node-http.ts");
  const express = await startBaselineServer("express", "bench/baselines/express.ts");
  try {
    const targets: Target[] = [
      { name: "node:http", app: nodeHttp, flush: false },
      { name: "express", app: express, flush: false },
      { name: "ingester", app: ctx.ingester, flush: true },
    ];
    // Warm-up: JIT, connections, the API key cache.
    for (const target of targets) await throughputRound(ctx, target, 0, target.flush ? 2 : 1);
    const rounds: ThroughputRound[] = [];
    for (let index = 1; index <= ROUNDS; index++) {
      for (const target of targets) {
        const result = await throughputRound(ctx, target, index);
        ctx.log(`  round ${index} ${target.name}: ${result.rps} req/s (${result.non2xx} non-2xx, ${result.errors} errors)`);
        rounds.push(result);
      }
    }
    const series = (name: string) => rounds.filter((r) => r.target === name).map((r) => r.rps);
    const rps = (name: string) => median(series(name));
    const ingester = rounds.filter((r) => r.target === "ingester");
    const failed = ingester.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    const ratio = pairedRatio(series("ingester"), series("express"));
    const cpu = (name: string) => median(rounds.filter((r) => r.target === name).map((r) => r.serverCpuMsPerRequest));
    const commands = ingester.at(-1)?.redisCommandsPerRequest ?? {};
    return {
      rounds,
      facts: { emptyQueueRps: rps("ingester") },
      rows: [
        {
          measure: "1 ingest throughput vs bare Express",
          unit: "req/s",
          project: rps("ingester"),
          baseline: rps("express"),
          baselineName: "express",
          ratio,
          goal: "≥ 0.6×",
          pass: ratio >= 0.6 && failed === 0,
          note:
            `CPU per request: ingester ${cpu("ingester")} ms, express ${cpu("express")} ms, node:http ${cpu("node:http")} ms; ` +
            `Redis per webhook: ${median(ingester.map((r) => r.redisCpuMsPerRequest))} ms CPU, commands ${JSON.stringify(commands)}`,
        },
        {
          measure: "1 ingest throughput vs bare node:http",
          unit: "req/s",
          project: rps("ingester"),
          baseline: rps("node:http"),
          baselineName: "node:http",
          ratio: pairedRatio(series("ingester"), series("node:http")),
          goal: "",
          pass: null,
        },
        {
          measure: "1 ingest non-2xx + errors (all rounds)",
          unit: "",
          project: failed,
          baseline: null,
          ratio: null,
          goal: "= 0",
          pass: failed === 0,
          note: `2xx ${ingester.reduce((s, r) => s + r.ok, 0)} of ${ingester.reduce((s, r) => s + r.total, 0)} responses`,
        },
      ],
    };
  } finally {
    await Promise.all([nodeHttp.child.stop(), express.child.stop()]);
  }
}
