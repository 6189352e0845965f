import type { Request, Response } from "express";
import type { DashboardDeps } from "../deps.ts";
import { reasonById } from "./reasons.ts";
import type { BulkNotice } from "./render-worklist.ts";
import { attentionSource, loadWorklist, MAX_ROWS, parseWorklistRequest, type Worklist } from "./worklist.ts";
import { worklistCsv } from "./worklist-csv.ts";

/** The worklist the overview shows for `?reason=&page=`; throws when a store fails, says so for a bad request. */
export async function worklistFor(deps: DashboardDeps, req: Request): Promise<Worklist | { problem: string }> {
  const request = parseWorklistRequest(req.query);
  if ("problem" in request) return request;
  return loadWorklist(source(deps), request);
}

/** GET /?format=csv[&reason=]: every row of the filter (up to MAX_ROWS), for a spreadsheet. */
export async function sendWorklistCsv(deps: DashboardDeps, req: Request, res: Response): Promise<void> {
  const request = parseWorklistRequest({ ...req.query, page: "1" });
  if ("problem" in request) {
    res.status(400).type("text").send(`${request.problem}\n`);
    return;
  }
  const worklist = await loadWorklist(source(deps), request, MAX_ROWS);
  const name = `needs-attention${request.reason ? `-${request.reason}` : ""}.csv`;
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
  res.type("text/csv; charset=utf-8").send(worklistCsv(worklist, (reason) => reasonById(reason)?.label ?? reason));
}

/** What the bulk action's redirect says it did (`?bulk=<reason>&touched=<n>`). */
export function bulkNotice(req: Request): BulkNotice | null {
  const { bulk, touched } = req.query;
  if (typeof bulk !== "string" || typeof touched !== "string" || !/^\d+$/.test(touched)) return null;
  return { reason: bulk, touched: Number(touched) };
}

function source(deps: DashboardDeps) {
  return attentionSource(deps.db, deps.queues, { settings: deps.needsAttention, recordingRetry: deps.recordingRetry });
}
