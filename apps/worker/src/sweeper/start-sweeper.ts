import { randomUUID } from "node:crypto";
import { type Db, scrubCallsOlderThan } from "@anura/db";
import type { Logger } from "@anura/logger";
import type { Queues, RedisClient } from "@anura/queue";
import { type ReconcileCounts, type ReconcileOptions, reconcileCalls } from "./reconcile-calls.ts";

export interface SweepCounts extends ReconcileCounts {
  /** Calls past PERSONAL_DATA_RETENTION_DAYS whose personal data this sweep removed. */
  scrubbed: number;
}

export interface SweeperOptions extends ReconcileOptions {
  redis: RedisClient;
  prefix: string;
  /** Milliseconds between sweeps across all worker processes; 0 turns the sweeper off. */
  intervalMs: number;
  /** Scrub personal data of calls older than this many days; unset: never. */
  personalDataRetentionDays?: number;
  /** Called after each sweep this process ran, e.g. to count its actions in metrics. */
  onSweep?: (counts: SweepCounts) => void;
}

export type Sweeper = ReturnType<typeof startSweeper>;

/** Every interval, in one worker process at a time: reconcileCalls, then the personal-data scrub of calls past retention. */
export function startSweeper(deps: { db: Db; queues: Queues; log: Logger }, options: SweeperOptions) {
  const log = deps.log.child({ component: "sweeper" });
  const intervalMs = Math.max(1, Math.round(options.intervalMs));
  const lockKey = `${options.prefix}:sweeper:lock`;
  const token = randomUUID();
  const stats = { sweeps: 0, last: null as SweepCounts | null };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = options.intervalMs <= 0;

  /** Sweeps unless some process already swept within the interval; null when it did not sweep. */
  async function tick(): Promise<SweepCounts | null> {
    // A Redis lock rather than a BullMQ scheduler: no queue outside the job catalog, and the lock is
    // never released, only left to expire, so whoever takes it sweeps and nobody else for an interval.
    const acquired = await options.redis.set(lockKey, token, "PX", intervalMs, "NX");
    if (acquired !== "OK") return null;
    const reconciled = await reconcileCalls(deps.db, deps.queues, options);
    const days = options.personalDataRetentionDays;
    const counts: SweepCounts = { ...reconciled, scrubbed: days === undefined ? 0 : await scrubCallsOlderThan(deps.db, days) };
    stats.sweeps++;
    stats.last = counts;
    options.onSweep?.(counts);
    const acted = counts.redriven > 0 || counts.markedStale > 0 || counts.scrubbed > 0;
    log[acted ? "info" : "debug"](counts, "sweep done");
    return counts;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((error) => log.warn({ err: error }, "sweep failed; next interval will try again"))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  if (stopped) log.info("sweeper off (SWEEP_INTERVAL=0)");
  schedule();
  return {
    tick,
    /** How many sweeps this process ran, and what the last one did. */
    stats: () => ({ ...stats }),
    /** Stop scheduling and wait for a sweep in progress. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
