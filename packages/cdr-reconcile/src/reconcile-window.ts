import { type AnuraApi, type Cdr, isAnuraApiError, type RecordingLink } from "@anura/anura-api";
import { cdrEventIdFor } from "@anura/call-domain";
import { type CdrWindowCounts, callsKnownOf, type Db } from "@anura/db";
import type { Logger } from "@anura/logger";
import { jobIdFor, type Queues } from "@anura/queue";
import { cdrEndEvent } from "./cdr-event.ts";
import { eachLimited, type RetryPolicy, withRetries } from "./retry.ts";
import type { PlannedWindow } from "./windows.ts";

/** CDRs looked up in Postgres per statement. */
export const BATCH = 500;
/** At most this many recording-link requests to Anura at once. */
export const LINK_CONCURRENCY = 2;

export type Outcome = "confirmed" | "recovered" | "failed";

export interface ReconcileContext {
  db: Db;
  queues: Queues;
  api: AnuraApi;
  log: Logger;
  timeZone: string;
  retry: RetryPolicy;
  onApiError?: (kind: string) => void;
  onOutcome?: (outcome: Outcome) => void;
}

export interface RecoveredCall {
  cdrid: string;
  /** true: we held the call but its END never came; false: we had never heard of it. */
  completed: boolean;
  recording: string;
}

export interface WindowReport {
  counts: CdrWindowCounts & { left: number };
  recovered: RecoveredCall[];
  /** The earliest dial time of a CDR left for a later window (ended too recently): the cursor may not pass it. */
  heldFrom: Date | null;
}

/**
 * Checks one window of Anura's CDR list against our calls: one list request, one Postgres statement per
 * BATCH CDRs, and for each call we lack (or whose END never came) its recording link and a call.event
 * job with the END it should have had. Rerunning a window changes nothing: the job ids are per call.
 */
export async function reconcileWindow(
  ctx: ReconcileContext,
  window: PlannedWindow,
  options: { now: number; settleMs: number; dryRun?: boolean; onBatch?: (report: WindowReport) => void },
): Promise<WindowReport> {
  const report: WindowReport = {
    counts: { listed: 0, confirmed: 0, recovered: 0, failed: 0, left: 0 },
    recovered: [],
    heldFrom: null,
  };
  const listing = await withRetries(
    ctx.retry,
    () => ctx.api.listCdrs({ from: window.startsAt, to: window.endsAt }),
    (error, attempt) => apiFailure(ctx, error, attempt, "CDR list"),
  );
  const { counts } = report;
  counts.listed = listing.cdrs.length + listing.rejected.length;
  for (const { index, reason } of listing.rejected) {
    counts.failed++;
    ctx.onOutcome?.("failed");
    ctx.log.warn({ row: index, reason }, "CDR list row skipped: not a CDR we can act on");
  }
  const settledBefore = options.now - options.settleMs;
  for (let start = 0; start < listing.cdrs.length; start += BATCH) {
    const batch = listing.cdrs.slice(start, start + BATCH).filter((cdr) => {
      // Ended too recently: its webhooks may still be on the way; the next window lists it again.
      const settled = Date.parse(cdr.endedAt) <= settledBefore;
      if (!settled) {
        counts.left++;
        const dialled = new Date(cdr.dialtime);
        if (!report.heldFrom || dialled < report.heldFrom) report.heldFrom = dialled;
      }
      return settled;
    });
    const known = await callsKnownOf(
      ctx.db,
      batch.map((cdr) => cdr.cdrid),
    );
    const missing: { cdr: Cdr; completed: boolean }[] = [];
    for (const cdr of batch) {
      const call = known.get(cdr.cdrid);
      if (!call?.ended) missing.push({ cdr, completed: Boolean(call) });
      else if (Date.parse(cdr.dialtime) >= window.newFrom.getTime()) {
        counts.confirmed++; // a CDR in the overlap was counted by the window before
        ctx.onOutcome?.("confirmed");
      }
    }
    await eachLimited(missing, LINK_CONCURRENCY, async ({ cdr, completed }) => {
      if (!options.dryRun && (await alreadyRecovering(ctx, cdr.cdrid))) return;
      const link = options.dryRun || !mayHaveRecording(cdr) ? null : await recordingLink(ctx, cdr.cdrid);
      let job: ReturnType<typeof cdrEndEvent>;
      try {
        job = cdrEndEvent(cdr, link, ctx.timeZone);
      } catch (error) {
        counts.failed++;
        ctx.onOutcome?.("failed");
        ctx.log.warn(
          { callId: cdr.cdrid, reason: (error as Error).message },
          "CDR not recoverable: its fields do not make an event",
        );
        return;
      }
      if (!options.dryRun) await ctx.queues.enqueue("call.event", job);
      counts.recovered++;
      ctx.onOutcome?.("recovered");
      const recording = options.dryRun
        ? "not looked up (dry run)"
        : !link
          ? "not answered"
          : link.url !== null
            ? "link found"
            : link.reason;
      report.recovered.push({ cdrid: cdr.cdrid, completed, recording });
    });
    options.onBatch?.(report);
  }
  return report;
}

/**
 * An earlier window (or a run cut short) already queued this call's END and it has not been merged yet:
 * not counted or looked up twice. A job that failed for good is reported; retrying it is an operator's call.
 */
async function alreadyRecovering(ctx: ReconcileContext, cdrid: string): Promise<boolean> {
  const queue = ctx.queues.queueFor("call.event", cdrid); // the call's partition, where enqueue put it
  const state = await queue.getJobState(jobIdFor("call.event", { eventId: cdrEventIdFor(cdrid) }));
  if (state === "failed") {
    ctx.log.warn(
      { callId: cdrid },
      "recovered call's call.event job failed: retry it with `pnpm cli jobs retry-failed --queue call.event`",
    );
  }
  return state !== "unknown";
}

/** An unanswered call has nothing to record: no link is asked for. */
function mayHaveRecording(cdr: Cdr): boolean {
  if (cdr.status && cdr.status !== "ANSWER" && cdr.status !== "ANSWERED") return false;
  return cdr.billseconds === null || cdr.billseconds > 0;
}

/**
 * A link Anura will not give after the retries makes the call one without a recording (shown as such)
 * rather than failing the window: one bad CDR must not stop every later window from being checked.
 */
async function recordingLink(ctx: ReconcileContext, cdrid: string): Promise<RecordingLink> {
  try {
    return await withRetries(
      ctx.retry,
      () => ctx.api.recordingLink(cdrid),
      (error, attempt) => apiFailure(ctx, error, attempt, "recording link", cdrid),
    );
  } catch (error) {
    const kind = isAnuraApiError(error) ? error.kind : "other";
    return { url: null, reason: `Anura's API gave no recording link after ${ctx.retry.attempts} attempts (${kind})` };
  }
}

function apiFailure(ctx: ReconcileContext, error: unknown, attempt: number, what: string, callId?: string) {
  const kind = isAnuraApiError(error) ? error.kind : "other";
  ctx.onApiError?.(kind);
  const last = attempt >= ctx.retry.attempts;
  ctx.log.warn(
    { kind, attempt, of: ctx.retry.attempts, callId, reason: (error as Error).message },
    last ? `Anura ${what} failed: the window will be tried again` : `Anura ${what} failed: retrying`,
  );
}
