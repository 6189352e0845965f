import { drainInbox } from "@anura/db";
import { parseJobData } from "@anura/queue";
import type { IngesterDeps } from "../deps.ts";

const BATCH = 200;

/** Moves events from the Postgres inbox into the queue whenever Redis is back; the job id keeps it idempotent. */
export function startInboxRelay(deps: IngesterDeps, intervalMs = 2000) {
  let running = false;
  let warned = false;
  const relayOnce = async () => {
    if (running || deps.redis.status !== "ready") return;
    running = true;
    try {
      let moved = 0;
      let batch: number;
      do {
        batch = await drainInbox(deps.db, BATCH, (_id, job) =>
          deps.queues.enqueueParsed("call.event", parseJobData("call.event", job)),
        );
        moved += batch;
      } while (batch === BATCH);
      if (moved > 0) deps.log.info({ moved }, "inbox relayed into the queue");
      warned = false;
    } catch (error) {
      if (!warned) deps.log.warn({ err: error }, "inbox relay failed: will retry");
      warned = true;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(relayOnce, intervalMs);
  timer.unref();
  return { relayOnce, stop: () => clearInterval(timer) };
}
