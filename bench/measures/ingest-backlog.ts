import { BACKLOG, type BacklogFill, jobAnatomy } from "../lib/backlog.ts";
import { INGESTER_BATCH } from "../lib/drain-events.ts";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { compareRounds, round } from "../lib/stats.ts";
import { type Target, type ThroughputRound, throughputRound } from "./ingest-throughput.ts";

const ROUNDS = 3;
/** What this measure needs once the backlog is filled: a warm-up and 2 × ROUNDS rounds of 5 s, with slack. */
export const BACKLOG_ROUNDS_MS = 45_000;

/**
 * (3) Ingest throughput with a large waiting backlog vs an empty queue, and Redis memory per waiting
 * event. The backlog (filled in database 1 beforehand) is swapped in with SWAPDB, then moved aside and
 * back for alternate rounds, so "empty" and "backlog" rounds interleave and drift hits both alike.
 */
export async function ingestBacklog(ctx: Context, fill: BacklogFill): Promise<MeasureResult> {
  const { redis } = ctx.services;
  const target: Target = { name: "ingester", app: ctx.ingester, flush: false };
  await redis.flushDb(); // database 0: what the pipeline measures left
  await throughputRound(ctx, target, 0, 2); // warm-up
  await redis.flushDb();
  await redis.swapDb(); // the backlog becomes the ingester's queue
  const bytesPerEvent = (fill.memoryAfter - fill.memoryBefore) / fill.events;
  const anatomy = await jobAnatomy(redis, ctx.services.prefix);
  ctx.log(`  backlog: ${fill.events} events in ${round(fill.ms / 1000)} s, ${round(bytesPerEvent, 0)} B of Redis each`);

  const backlog: ThroughputRound[] = [];
  const empty: ThroughputRound[] = [];
  for (let index = 1; index <= ROUNDS; index++) {
    backlog.push(await throughputRound(ctx, target, index)); // these few thousand jobs join the backlog
    await redis.swapDb(); // backlog aside: database 0 is empty
    empty.push(await throughputRound(ctx, target, index));
    await redis.flushDb();
    await redis.swapDb(); // backlog back
    ctx.log(`  round ${index}: ${backlog.at(-1)?.rps} req/s with backlog, ${empty.at(-1)?.rps} req/s empty`);
  }
  await redis.flush();

  const {
    project: backlogRps,
    baseline: emptyRps,
    ratio,
  } = compareRounds(
    backlog.map((r) => r.rps),
    empty.map((r) => r.rps),
  );
  const failed = [...empty, ...backlog].reduce((sum, r) => sum + r.non2xx + r.errors, 0);
  const label = fill.events === BACKLOG ? "500k" : `${Math.round(fill.events / 1000)}k (NOT 500k: time budget)`;
  return {
    rounds: [
      { fill: { ...fill, ms: round(fill.ms, 0), bytesPerEvent: round(bytesPerEvent, 0), anatomy } },
      ...backlog.map((r) => ({ ...r, queue: `backlog ${fill.events}` })),
      ...empty.map((r) => ({ ...r, queue: "empty" })),
    ],
    rows: [
      {
        measure: `3 ingest throughput, ${label} waiting vs empty`,
        unit: "req/s",
        project: backlogRps,
        baseline: emptyRps,
        baselineName: "empty",
        ratio,
        goal: "≥ 0.9×",
        pass: ratio >= 0.9 && failed === 0,
        note: `${failed} non-2xx/errors`,
      },
      {
        measure: `3 Redis memory per waiting event, ${INGESTER_BATCH} to a job`,
        unit: "B",
        project: bytesPerEvent,
        baseline: null,
        ratio: null,
        goal: "≤ 1500 B",
        pass: bytesPerEvent <= 1500,
        note:
          `${fill.events} events as one ingester batches them under load: used_memory ${fill.memoryBefore} → ${fill.memoryAfter}; ` +
          `one job hash of ${INGESTER_BATCH} events ${anatomy.jobHashBytes} B (fields ${JSON.stringify(anatomy.fieldBytes)})`,
      },
    ],
  };
}
