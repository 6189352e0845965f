import { randomBytes } from "node:crypto";
import { startWorker } from "../lib/apps.ts";
import { endEventJson } from "../lib/body.ts";
import { type Context, type MeasureResult, postWebhook } from "../lib/measure.ts";
import { memory } from "../lib/processes.ts";
import { compareRounds, round } from "../lib/stats.ts";

const LARGE_BYTES = 500 * 1024 * 1024;
const SMALL_CALLS = 3;
const MAX_ROUNDS = 3;
const MB = 1024 * 1024;

interface Peak {
  peakBytes: number;
  sampledRssBytes: number;
  seconds: number;
}

/** A fresh worker fetches the given recordings one after another; its VmHWM is the peak RSS. */
async function peakWhileFetching(ctx: Context, urls: (cdrid: string) => string, calls: number, label: string): Promise<Peak> {
  const worker = await startWorker(ctx.services, { RECORDING_MAX_BYTES: String(2 * 1024 ** 3) });
  let sampled = 0;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, memory(worker.child.pid).rss);
  }, 50);
  const started = performance.now();
  try {
    for (let i = 0; i < calls; i++) {
      const cdrid = `${label}-${i}-${randomBytes(3).toString("hex")}`;
      await postWebhook(ctx, endEventJson({ cdrid, recordingUrl: urls(cdrid) }));
      await ctx.tasks.waitFor([cdrid], 150_000);
    }
    return { peakBytes: memory(worker.child.pid).peak, sampledRssBytes: sampled, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(sampler);
    await worker.child.stop();
  }
}

/** (6) Peak RSS of a fresh worker fetching one 500 MB recording vs. fetching 1 MB recordings, one at a time. */
export async function workerMemory(ctx: Context): Promise<MeasureResult> {
  const { recordings } = ctx.services;
  const rounds = [];
  let roundSeconds = 0;
  for (let index = 1; index <= MAX_ROUNDS; index++) {
    // Every round after the first must fit before the deadline, judged by how long the first took.
    if (index > 1 && performance.now() + (roundSeconds + 10) * 1000 > ctx.deadline) break;
    const small = await peakWhileFetching(ctx, recordings.smallUrl, SMALL_CALLS, `m${index}s`);
    const large = await peakWhileFetching(ctx, (cdrid) => recordings.largeUrl(cdrid, LARGE_BYTES), 1, `m${index}l`);
    roundSeconds = large.seconds + small.seconds + 5; // plus two worker start-ups
    const entry = {
      round: index,
      smallPeakMB: round(small.peakBytes / MB),
      largePeakMB: round(large.peakBytes / MB),
      largeSampledRssMB: round(large.sampledRssBytes / MB),
      largeSeconds: round(large.seconds, 1),
      largeMBps: round(LARGE_BYTES / MB / large.seconds, 0),
    };
    ctx.log(
      `  round ${index}: peak RSS ${entry.smallPeakMB} MB (1 MB ×${SMALL_CALLS}) vs ${entry.largePeakMB} MB (500 MB, ${entry.largeSeconds} s)`,
    );
    rounds.push(entry);
  }
  const { project, baseline, ratio } = compareRounds(
    rounds.map((r) => r.largePeakMB),
    rounds.map((r) => r.smallPeakMB),
  );
  return {
    rounds,
    rows: [
      {
        measure: "6 worker peak RSS, 500 MB vs 1 MB recordings",
        unit: "MB",
        project,
        baseline,
        baselineName: "1 MB",
        ratio,
        goal: "≤ 1.25×",
        pass: ratio <= 1.25,
        note:
          `${rounds.length} round(s)${rounds.length < MAX_ROUNDS ? " (NOT 3: time budget)" : ""}; ` +
          `the 500 MB fetch adds ${round(project - baseline)} MB to a fresh worker's peak`,
      },
    ],
  };
}
