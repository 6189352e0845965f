import type { RequestHandler } from "express";
import type { DashboardDeps } from "../deps.ts";
import { retryFailedFetch } from "../overview/fetch-progress.ts";

export const RETRY_RECORDING_PATH = "/calls/:cdrid/retry-recording";

/** POST from a call's timeline: retry its failed recording download, then show the call again. */
export function retryRecording(deps: DashboardDeps): RequestHandler {
  return async (req, res) => {
    const cdrid = String(req.params.cdrid ?? "");
    if (cdrid.length === 0 || cdrid.length > 36) {
      res.status(400).type("text").send("a call id (cdrid) has 1 to 36 characters: retry from the call's page\n");
      return;
    }
    const outcome = await retryFailedFetch(deps.queues, cdrid);
    const log = deps.log.child({ callId: cdrid });
    if (!outcome.retried) {
      log.info({ why: outcome.why }, "recording retry refused");
      res.status(409).type("text").send(`not retried: ${outcome.why}. Reload the call's page to see where it stands.\n`);
      return;
    }
    log.info("failed recording download retried from the dashboard");
    res.redirect(303, `/?call=${encodeURIComponent(cdrid)}&retried=1`);
  };
}
