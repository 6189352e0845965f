import { closeCdrWindow, lastReconciledEnd, openCdrWindow } from "@anura/db";
import type { JobResult } from "@anura/queue";
import { type ReconcileContext, reconcileWindow } from "./reconcile-window.ts";
import { nextWindow, type WindowRules } from "./windows.ts";

/** Windows one job checks at most; the next poll carries on, so a shutdown never waits on a long catch-up. */
export const WINDOWS_PER_JOB = 24;

/** What one cdr.reconcile job returns, as its registry entry declares it. */
export type PollResult = JobResult<"cdr.reconcile">;

/**
 * Checks the stored windows' successors until caught up with now − settle. A window that fails is
 * stored as failed and the error thrown (the job retries it); the cursor only moves past a window checked to the end.
 */
export async function reconcileStoredWindows(
  ctx: ReconcileContext & { onWindow?: (status: "done" | "failed") => void },
  rules: WindowRules,
  now: () => number = Date.now,
): Promise<PollResult> {
  const result: PollResult = { windows: 0, caughtUp: false, confirmed: 0, recovered: 0, failed: 0 };
  while (result.windows < WINDOWS_PER_JOB) {
    const window = nextWindow(await lastReconciledEnd(ctx.db), now(), rules);
    if (!window) {
      result.caughtUp = true;
      break;
    }
    const id = await openCdrWindow(ctx.db, { kind: "poll", startsAt: window.startsAt, endsAt: window.endsAt });
    const report = await reconcileWindow(ctx, window, { now: now(), settleMs: rules.settleMs }).catch(async (error: unknown) => {
      const counts = { listed: 0, confirmed: 0, recovered: 0, failed: 0 };
      await closeCdrWindow(ctx.db, id, { status: "failed", counts, error: (error as Error).message }).catch(() => {});
      ctx.onWindow?.("failed");
      throw error;
    });
    // A CDR left for later (ended too recently) may have been dialled long ago, a long call: the next
    // window, which starts `overlap` before this one's stored end, must reach back to its dial time.
    const reached =
      report.heldFrom && report.heldFrom.getTime() + rules.overlapMs < window.endsAt.getTime()
        ? new Date(report.heldFrom.getTime() + rules.overlapMs)
        : window.endsAt;
    await closeCdrWindow(ctx.db, id, { status: "done", counts: report.counts, endsAt: reached });
    ctx.onWindow?.("done");
    result.windows++;
    result.confirmed += report.counts.confirmed;
    result.recovered += report.counts.recovered;
    result.failed += report.counts.failed;
    const behindSeconds = Math.round((now() - rules.settleMs - window.endsAt.getTime()) / 1000);
    const catchingUp = behindSeconds > 60;
    const line = { window: id, from: window.startsAt, to: window.endsAt, behindSeconds, ...report.counts };
    if (catchingUp) ctx.log.info(line, "catching up with Anura's CDR list");
    else ctx.log[report.counts.recovered > 0 || report.counts.failed > 0 ? "info" : "debug"](line, "CDR window reconciled");
    for (const call of report.recovered) {
      ctx.log.warn(
        { callId: call.cdrid, completed: call.completed, recording: call.recording },
        call.completed
          ? "call completed from Anura's CDR list: its END webhook never came"
          : "call recovered from Anura's CDR list: no webhook came",
      );
    }
    if (reached <= window.newFrom) {
      // No further than before until that call settles: the next poll checks from there again.
      ctx.log.info({ window: id, heldFrom: reached }, "CDR window held at a call that ended too recently");
      break;
    }
  }
  return result;
}
