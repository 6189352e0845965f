import type { MeasureResult } from "../lib/measure.ts";
import { median, round } from "../lib/stats.ts";
import type { PipelineRound } from "./pipeline-throughput.ts";

/** (7) CPU ms (ingester + worker, from /proc utime+stime) per recorded call, from the pipeline rounds of (4). */
export function costPerCall(pipelineRounds: PipelineRound[]): MeasureResult {
  const rounds = pipelineRounds.map((r) => ({
    round: r.round,
    callsPerSecond: r.callsPerSecond,
    ingesterMsPerCall: round(r.ingesterCpuMs / r.calls, 2),
    workerMsPerCall: round(r.workerCpuMs / r.calls, 2),
    totalMsPerCall: round((r.ingesterCpuMs + r.workerCpuMs) / r.calls, 2),
  }));
  const ingester = median(rounds.map((r) => r.ingesterMsPerCall));
  const worker = median(rounds.map((r) => r.workerMsPerCall));
  return {
    rounds,
    rows: [
      {
        measure: "7 CPU per recorded call (ingester + worker)",
        unit: "ms",
        project: median(rounds.map((r) => r.totalMsPerCall)),
        baseline: null,
        ratio: null,
        goal: "",
        pass: null,
        note:
          `ingester ${ingester} ms + worker ${worker} ms (medians); ` +
          `${median(pipelineRounds.map((r) => r.redisCommandsPerCall))} Redis commands per call`,
      },
    ],
  };
}

const REDIS_GOAL = 40;
const CPU_GOAL = 1.25;

/** (10) Redis commands per recorded call (INFO commandstats, scripts' inner calls included), and CPU beside the raw copy's. */
export function redisPerCall(pipelineRounds: PipelineRound[]): MeasureResult {
  const rounds = pipelineRounds.map((r) => ({
    round: r.round,
    redisCommandsPerCall: r.redisCommandsPerCall,
    cpuMsPerCall: round((r.ingesterCpuMs + r.workerCpuMs) / r.calls, 2),
    rawCopyCpuMsPerCall: round(r.rawCopyCpuMs / r.calls, 2),
  }));
  const commands = median(rounds.map((r) => r.redisCommandsPerCall));
  // The breakdown of the round closest to the median, so the figures add up to one real round.
  const typical = pipelineRounds.reduce((best, r) =>
    Math.abs(r.redisCommandsPerCall - commands) < Math.abs(best.redisCommandsPerCall - commands) ? r : best,
  );
  const breakdown = Object.entries(typical.redisCommandsPerCallByName)
    .slice(0, 12)
    .map(([name, calls]) => `${name} ${calls}`)
    .join(", ");
  const cpu = median(rounds.map((r) => r.cpuMsPerCall));
  const rawCpu = median(rounds.map((r) => r.rawCopyCpuMsPerCall));
  return {
    rounds,
    rows: [
      {
        measure: "10 Redis commands per recorded call",
        unit: "",
        project: commands,
        baseline: null,
        ratio: null,
        goal: `≤ ${REDIS_GOAL}`,
        pass: commands <= REDIS_GOAL,
        note: `webhook to task row, 1 MB recording; idle polling of the three queues' workers included; round ${typical.round}: ${breakdown}`,
      },
      {
        measure: "10 CPU per recorded call vs the raw copy of the same file",
        unit: "ms",
        project: cpu,
        baseline: rawCpu,
        baselineName: "raw copy",
        ratio: cpu / rawCpu,
        goal: `≤ ${CPU_GOAL}×`,
        pass: cpu / rawCpu <= CPU_GOAL,
      },
    ],
  };
}
