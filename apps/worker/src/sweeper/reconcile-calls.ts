import { callsAwaitingRecording, type Db, markStaleCalls } from "@anura/db";
import { jobIdFor, type Queues } from "@anura/queue";

export interface ReconcileCounts {
  /** Calls whose recording download was queued again. */
  redriven: number;
  /** Calls newly flagged stale (no END after STALE_CALL_AFTER). */
  markedStale: number;
  /** Calls whose download failed for good: left in the failed set for an operator. */
  leftFailed: number;
}

export interface ReconcileOptions {
  reconcileAfterSeconds: number;
  staleAfterSeconds: number;
  /** At most this many downloads are queued per sweep, so one sweep never floods the queue. */
  maxRedrives?: number;
}

const PAGE = 500;

/**
 * One pass of reconciliation: re-drive recorded calls that nothing is fetching any more, and flag
 * calls that never ended. Safe to run twice at once: job ids dedupe and the updates are idempotent.
 */
export async function reconcileCalls(db: Db, queues: Queues, options: ReconcileOptions): Promise<ReconcileCounts> {
  const counts: ReconcileCounts = { redriven: 0, markedStale: 0, leftFailed: 0 };
  const maxRedrives = options.maxRedrives ?? PAGE;
  // Pages through every candidate, so calls parked in the failed set can never crowd out the rest.
  for (let afterCdrid: string | undefined, more = true; more && counts.redriven < maxRedrives; ) {
    const page = await callsAwaitingRecording(db, { quietForSeconds: options.reconcileAfterSeconds, limit: PAGE, afterCdrid });
    for (const { cdrid } of page) {
      if (counts.redriven >= maxRedrives) break;
      const outcome = await redriveIfAbandoned(queues, cdrid);
      if (outcome === "redriven") counts.redriven++;
      if (outcome === "failed") counts.leftFailed++;
    }
    afterCdrid = page.at(-1)?.cdrid;
    more = page.length === PAGE;
  }
  counts.markedStale = await markStaleCalls(db, { staleAfterSeconds: options.staleAfterSeconds });
  return counts;
}

async function redriveIfAbandoned(queues: Queues, cdrid: string): Promise<"redriven" | "failed" | "live"> {
  const fetchQueue = queues.queueFor("recording.fetch", cdrid);
  const jobId = jobIdFor("recording.fetch", { cdrid });
  const state = await fetchQueue.getJobState(jobId);
  // A final failure waits for an operator (Bull Board's retry); re-driving it would retry forever.
  if (state === "failed") return "failed";
  if (state === "completed") {
    // It ran to the end yet the call has no recording (e.g. a restored database): free its id.
    await fetchQueue.remove(jobId);
  } else if (state !== "unknown") {
    return "live"; // waiting, delayed or active
  }
  // "unknown": never queued, or dropped from retention.
  await queues.enqueue("recording.fetch", { cdrid }, { jobId });
  return "redriven";
}
