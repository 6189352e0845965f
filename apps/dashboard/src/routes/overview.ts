import type { Request, RequestHandler, Response } from "express";
import type { DashboardDeps } from "../deps.ts";
import { html, type SafeHtml } from "../http/html.ts";
import { OVERVIEW_CSP } from "../http/security-headers.ts";
import { renderWorklist } from "../needs-attention/render-worklist.ts";
import { bulkNotice, sendWorklistCsv, worklistFor } from "../needs-attention/worklist-page.ts";
import { recentActivity } from "../overview/activity.ts";
import { lookUpCall } from "../overview/call-lookup.ts";
import { hourlyCharts } from "../overview/hourly-charts.ts";
import { layout, type Section } from "../overview/layout.ts";
import { failedRecordingFetches, queueHealth } from "../overview/queue-health.ts";
import { recoveredCalls } from "../overview/recovered-calls.ts";
import { renderCall, renderCallForm } from "../overview/render-call.ts";
import { renderOverview } from "../overview/render-overview.ts";

const MAX_CDRID = 36;

/** GET /: the server-rendered overview, or one call's timeline when ?call=<cdrid> is given. */
export function overviewPage(deps: DashboardDeps): RequestHandler {
  return async (req, res) => {
    const cdrid = requestedCall(req);
    const fromPostgres =
      "Postgres is unavailable or the query failed: see the dashboard log (check DATABASE_URL, run `pnpm db:migrate`)";
    const fromRedis = "Redis is unavailable: see the dashboard log (check REDIS_URL and QUEUE_PREFIX)";
    if (cdrid !== "") {
      const call =
        cdrid.length > MAX_CDRID ? await tooLong() : await settle(deps, lookUpCall(deps.db, deps.queues, cdrid), fromPostgres);
      const notice = req.query.retried === "1" ? "Retry queued: the download runs again now (reload to follow it)." : undefined;
      return sendPage(res, `Call ${cdrid}`, html`${renderCallForm(cdrid)}${renderCall(call, deps.recordingRetry, notice)}`);
    }
    if (req.query.format === "csv") return sendWorklistCsv(deps, req, res);
    const lastDay = deps.hourlyRows.lastDay(); // the charts and the totals share one read of the day's hours
    const [worklist, alarms, charts, activity, queues, failedFetches, recovered] = await Promise.all([
      settle(
        deps,
        worklistFor(deps, req),
        "Postgres or Redis is unavailable: see the dashboard log (check DATABASE_URL and REDIS_URL)",
      ),
      settle(deps, deps.alarms.current(), fromPostgres),
      settle(deps, hourlyCharts(deps.db, deps.queues, lastDay), fromPostgres),
      settle(deps, recentActivity(deps.db, lastDay), fromPostgres),
      settle(deps, queueHealth(deps.queues), fromRedis),
      settle(deps, failedRecordingFetches(deps.queues), fromRedis),
      settle(deps, recoveredCalls(deps.db), fromPostgres),
    ]);
    sendPage(
      res,
      "Anura overview",
      html`${renderCallForm("")}${renderWorklist(problemOf(worklist), bulkNotice(req))}${renderOverview({ alarms, charts, activity, queues, failedFetches, recovered })}`,
    );
  };
}

export function sendPage(res: Response, title: string, body: SafeHtml) {
  res.setHeader("Content-Security-Policy", OVERVIEW_CSP);
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(layout(title, body).value);
}

function requestedCall(req: Request): string {
  const value = req.query.call;
  return typeof value === "string" ? value.trim() : "";
}

async function tooLong(): Promise<Section<never>> {
  return {
    ok: false,
    problem: `A call id (cdrid) has at most ${MAX_CDRID} characters: paste the cdrid exactly as Anura sent it.`,
  };
}

/** A bad `?reason=` or `?page=` shows in the section like a failing store, saying what to use. */
function problemOf<T extends object>(result: Section<T | { problem: string }>): Section<T> {
  if (!result.ok) return result;
  return "problem" in result.value ? { ok: false, problem: result.value.problem } : { ok: true, value: result.value as T };
}

/** One failing source (Postgres or Redis) blanks only its own section. */
async function settle<T>(deps: DashboardDeps, work: Promise<T>, problem: string): Promise<Section<T>> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    deps.log.error({ err: error }, "overview section failed");
    return { ok: false, problem };
  }
}
