import { randomBytes } from "node:crypto";
import { endEventJson } from "../lib/body.ts";
import { jobStages, type TracedCall } from "../lib/job-stages.ts";
import { type Context, latencyRow, type MeasureResult, postWebhook } from "../lib/measure.ts";
import { median, percentile, round, sleep } from "../lib/stats.ts";

const RATE = 20;
const SECONDS = 6;
const ROUNDS = 3;
const UNLOADED_CALLS = 15;
const epochMs = (now: number) => performance.timeOrigin + now;

const recordedEnd = (ctx: Context, cdrid: string) =>
  endEventJson({ cdrid, recordingUrl: ctx.services.recordings.smallUrl(cdrid) });

/** One round: an END (1 MB recording ready) every 1/RATE s, open loop; latency = POST sent → task row committed. */
async function latencyRound(ctx: Context, label: string): Promise<number[]> {
  const count = RATE * SECONDS;
  const sentAt = new Map<string, number>();
  const posts: Promise<unknown>[] = [];
  let failure: unknown;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    const cdrid = `${label}-${i}-${randomBytes(3).toString("hex")}`;
    sentAt.set(cdrid, performance.now());
    posts.push(postWebhook(ctx, recordedEnd(ctx, cdrid)).catch((error) => (failure ??= error)));
  }
  await Promise.all(posts);
  if (failure) throw failure;
  const ids = [...sentAt.keys()];
  const seen = await ctx.tasks.waitFor(ids, 60_000);
  return ids.map((id, i) => (seen[i] as number) - (sentAt.get(id) as number));
}

/** No load at all: one call at a time, each waiting for the previous task row; traced stage by stage. */
async function unloadedCalls(ctx: Context): Promise<TracedCall[]> {
  const calls: TracedCall[] = [];
  for (let i = 0; i < UNLOADED_CALLS; i++) {
    const cdrid = `e0-${i}-${randomBytes(3).toString("hex")}`;
    const sent = performance.now();
    await postWebhook(ctx, recordedEnd(ctx, cdrid));
    const [seen] = await ctx.tasks.waitFor([cdrid], 30_000);
    calls.push({ cdrid, postedAt: epochMs(sent), taskAt: epochMs(seen as number) });
  }
  return calls;
}

/** (5) End-to-end latency END → task row at 20 recorded calls/s (and, for reference, one call at a time). */
export async function e2eLatency(ctx: Context): Promise<MeasureResult> {
  const unloaded = await unloadedCalls(ctx);
  const unloadedMs = unloaded.map((call) => call.taskAt - call.postedAt);
  const stages = await jobStages(ctx.services.redis.url, ctx.services.prefix, unloaded);
  ctx.log(`  one call at a time: p50 ${round(percentile(unloadedMs, 50))} ms; stage medians ${JSON.stringify(stages)}`);
  const rounds = [];
  for (let index = 1; index <= ROUNDS; index++) {
    const latencies = await latencyRound(ctx, `e${index}`);
    const entry = {
      round: index,
      calls: latencies.length,
      p50: round(percentile(latencies, 50), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(Math.max(...latencies), 1),
    };
    ctx.log(`  round ${index}: p50 ${entry.p50} ms, p99 ${entry.p99} ms, max ${entry.max} ms`);
    rounds.push(entry);
  }
  const p50 = median(rounds.map((r) => r.p50));
  const p99 = median(rounds.map((r) => r.p99));
  const row = latencyRow;
  return {
    rounds: [{ round: 0, load: "one call at a time", latencies: unloadedMs.map((ms) => round(ms, 1)), stages }, ...rounds],
    rows: [
      row(`5 END → task latency p50 @ ${RATE} calls/s`, p50, "≤ 50 ms", p50 <= 50),
      row(`5 END → task latency p99 @ ${RATE} calls/s`, p99, "≤ 250 ms", p99 <= 250),
      row(
        "5 END → task latency p50, one call at a time",
        round(percentile(unloadedMs, 50)),
        "",
        null,
        `${UNLOADED_CALLS} sequential calls, max ${round(Math.max(...unloadedMs))} ms`,
      ),
    ],
  };
}
