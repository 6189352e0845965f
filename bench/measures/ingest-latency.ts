import { startBaselineServer } from "../lib/apps.ts";
import { endEventJson } from "../lib/body.ts";
import { load } from "../lib/load.ts";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { latencyRow } from "../lib/measure.ts";
import { paced } from "../lib/paced.ts";
import { median, round, sleep } from "../lib/stats.ts";

const RATE = 500;
const SECONDS = 10;
const PACED_SECONDS = 3;
const ROUNDS = 3;
// autocannon's default; overallRate is split across connections, each sending its share at the top of every second.
const CONNECTIONS = 10;

/**
 * (2) Ingester latency at a fixed offered load of 500 req/s: autocannon's overallRate (the goal), and
 * for reference the same rate evenly paced, since autocannon sends each second's quota as a burst.
 */
export async function ingestLatency(ctx: Context): Promise<MeasureResult> {
  const body = endEventJson({ cdrid: "1700000001.4521" });
  const headers = { "x-api-key": ctx.services.database.apiKey };
  const settle = async () => {
    await sleep(200);
    await ctx.services.redis.flushDb();
  };
  const bursts = (url: string) => load({ url, body, headers, connections: CONNECTIONS, seconds: SECONDS, overallRate: RATE });
  const express = await startBaselineServer("express", "bench/baselines/express.ts");
  const rounds = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const result = await bursts(ctx.ingester.url);
    await settle();
    // The same bursts against bare Express: what the machine itself adds to the tail.
    const bare = index === 1 ? await bursts(express.url) : null;
    const even = await paced({ url: ctx.ingester.url, body, headers, rate: RATE, seconds: PACED_SECONDS });
    await settle();
    const entry = {
      round: index,
      achievedRps: round(result.rps, 0),
      p50: round(result.p50, 2),
      p99: round(result.p99, 2),
      total: result.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      paced: { sent: even.sent, ok: even.ok, p50: round(even.p50, 2), p99: round(even.p99, 2) },
      ...(bare ? { bareExpress: { p50: round(bare.p50, 2), p99: round(bare.p99, 2) } } : {}),
    };
    ctx.log(
      `  round ${index}: ${entry.achievedRps} req/s, p50 ${entry.p50} ms, p99 ${entry.p99} ms; paced p50 ${entry.paced.p50} ms, p99 ${entry.paced.p99} ms`,
    );
    rounds.push(entry);
  }
  await express.child.stop();
  const bareExpress = rounds[0]?.bareExpress;
  const p50 = median(rounds.map((r) => r.p50));
  const p99 = median(rounds.map((r) => r.p99));
  const clean = rounds.every((r) => r.non2xx === 0 && r.errors === 0 && r.paced.ok === r.paced.sent);
  const row = latencyRow;
  return {
    rounds,
    rows: [
      row(`2 ingest latency p50 @ ${RATE} req/s`, p50, "", null),
      row(
        `2 ingest latency p99 @ ${RATE} req/s`,
        p99,
        "≤ 10 ms",
        p99 <= 10 && clean,
        `autocannon overallRate, ${CONNECTIONS} connections: each second's requests leave in one burst`,
      ),
      row(
        `2 ingest latency p99 @ ${RATE} req/s, bare Express, same bursts`,
        bareExpress?.p99 ?? Number.NaN,
        "",
        null,
        `one round of ${SECONDS} s; p50 ${bareExpress?.p50} ms`,
      ),
      row(
        `2 ingest latency p99 @ ${RATE} req/s, evenly paced`,
        median(rounds.map((r) => r.paced.p99)),
        "",
        null,
        `open loop, one request every ${1000 / RATE} ms; p50 ${median(rounds.map((r) => r.paced.p50))} ms`,
      ),
    ],
  };
}
