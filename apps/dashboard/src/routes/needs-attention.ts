import type { RequestHandler } from "express";
import type { DashboardDeps } from "../deps.ts";
import { html } from "../http/html.ts";
import { renderWorklist } from "../needs-attention/render-worklist.ts";
import { bulkNotice, sendWorklistCsv, worklistFor } from "../needs-attention/worklist-page.ts";
import { renderCallForm } from "../overview/render-call.ts";
import { sendPage } from "./overview.ts";

export const NEEDS_ATTENTION_PATH = "/needs-attention";

/** GET /needs-attention: the worklist alone (filter, pages, bulk results), without the overview's charts. */
export function needsAttentionPage(deps: DashboardDeps): RequestHandler {
  return async (req, res) => {
    if (req.query.format === "csv") return sendWorklistCsv(deps, req, res);
    let worklist: Awaited<ReturnType<typeof worklistFor>>;
    try {
      worklist = await worklistFor(deps, req);
    } catch (error) {
      deps.log.error({ err: error }, "needs attention list failed");
      worklist = { problem: "Postgres or Redis is unavailable: see the dashboard log (check DATABASE_URL and REDIS_URL)" };
    }
    const section =
      "problem" in worklist ? { ok: false as const, problem: worklist.problem } : { ok: true as const, value: worklist };
    sendPage(res, "Needs attention", html`${renderCallForm("")}${renderWorklist(section, bulkNotice(req))}`);
  };
}
