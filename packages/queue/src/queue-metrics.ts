import { Gauge, type Registry } from "prom-client";
import { oldestWaitingJob } from "./oldest-waiting.ts";
import type { Queues } from "./queues.ts";

/** Queue depth per state and the age of the oldest waiting job, read from Redis at scrape time. */
export function registerQueueGauges(registry: Registry, queues: Queues): void {
  const depth = new Gauge({
    name: "anura_queue_jobs",
    help: "Jobs per queue and state",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      await keepOnFailure(async () => {
        for (const { queueName, queue } of queues.placed) {
          const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed");
          for (const [state, count] of Object.entries(counts)) depth.set({ queue: queueName, state }, count);
        }
      });
    },
  });
  const oldest = new Gauge({
    name: "anura_queue_oldest_waiting_seconds",
    help: "Age of the oldest job waiting in each queue (0 when none waits)",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      await keepOnFailure(async () => {
        for (const { queueName, queue } of queues.placed) {
          const job = await oldestWaitingJob(queue);
          oldest.set({ queue: queueName }, job ? (Date.now() - job.timestamp) / 1000 : 0);
        }
      });
    },
  });
}

/**
 * Redis unreachable: keep the last values rather than fail the whole scrape, which would hide the
 * very series (inbox depth, readiness) that say Redis is down.
 */
async function keepOnFailure(read: () => Promise<void>): Promise<void> {
  try {
    await read();
  } catch {
    // the last values stay
  }
}
