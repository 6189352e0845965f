import { type Db, pruneQueueDepths, recordQueueDepths } from "@anura/db";
import type { Logger } from "@anura/logger";
import { JOB_NAMES, type Queues } from "@anura/queue";

const MINUTE = 60_000;
const KEEP_MS = 48 * 3_600_000;

/**
 * Every minute, write each queue's depth to Postgres for the "waiting jobs" chart. Rows are keyed
 * by queue and minute, so several dashboards sampling together still leave one row per minute.
 */
export function startQueueDepthSampler(db: Db, queues: Queues, log: Logger, intervalMs = MINUTE) {
  const sample = async () => {
    try {
      const counts = await Promise.all(
        JOB_NAMES.map(async (queue) => {
          const found = await queues.countsOf(queue, "wait", "delayed", "active");
          return { queue, waiting: found.wait ?? 0, delayed: found.delayed ?? 0, active: found.active ?? 0 };
        }),
      );
      const minute = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
      await recordQueueDepths(db, minute, counts);
      await pruneQueueDepths(db, new Date(Date.now() - KEEP_MS));
    } catch (error) {
      log.warn({ err: error }, "queue depth sample skipped (Redis or Postgres unavailable)");
    }
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample);
  }, intervalMs);
  timer.unref();
  return {
    /** Stop sampling and wait for a sample in progress. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
