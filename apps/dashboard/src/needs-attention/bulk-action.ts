import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { Counter } from "prom-client";
import type { DashboardDeps } from "../deps.ts";
import { REASONS, reasonById } from "./reasons.ts";
import { attentionSource } from "./worklist.ts";

const RELEASE_IF_OURS = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;

export const BULK_ACTION_PATH = "/needs-attention/:reason/bulk";
/** Longer than any bulk action takes: a dashboard that dies mid-action frees the lock by then. */
const LOCK_MS = 15 * 60_000;

/**
 * POST from the worklist: run a reason's bulk action (retry its downloads, remap the unmapped calls) on
 * every call of that reason. One run at a time across dashboards (a lock in Redis): a second click while
 * one runs is refused, so nothing is done twice.
 */
export function bulkAction(deps: DashboardDeps): RequestHandler {
  const runs = new Counter({
    name: "anura_dashboard_bulk_actions_total",
    help: "Bulk actions from the Needs attention list, by reason and outcome (done, already_running, failed)",
    labelNames: ["reason", "outcome"],
    registers: [deps.metrics.registry],
  });
  const touched = new Counter({
    name: "anura_dashboard_bulk_action_calls_total",
    help: "Calls a bulk action touched (downloads retried, calls re-driven for remapping), by reason",
    labelNames: ["reason"],
    registers: [deps.metrics.registry],
  });
  return async (req, res) => {
    const reason = reasonById(String(req.params.reason ?? ""));
    if (!reason?.bulk) {
      const offered = REASONS.filter((r) => r.bulk).map((r) => r.id);
      res
        .status(404)
        .type("text")
        .send(`no bulk action for "${req.params.reason}": the reasons with one are ${offered.join(", ")}\n`);
      return;
    }
    const log = deps.log.child({ reason: reason.id });
    const lock = `${deps.needsAttention.lockPrefix}:dashboard:bulk:${reason.id}`;
    const token = randomUUID(); // released only by this run: one outliving LOCK_MS must not free a newer run's lock
    if ((await deps.redis.set(lock, token, "PX", LOCK_MS, "NX")) !== "OK") {
      runs.inc({ reason: reason.id, outcome: "already_running" });
      log.info("bulk action refused: one is already running");
      res
        .status(409)
        .type("text")
        .send(`"${reason.bulk.label}" is already running for ${reason.label}: wait for it, then reload the overview.\n`);
      return;
    }
    try {
      log.info("bulk action started from the dashboard");
      const source = attentionSource(deps.db, deps.queues, {
        settings: deps.needsAttention,
        recordingRetry: deps.recordingRetry,
      });
      const count = await reason.bulk.run(source);
      runs.inc({ reason: reason.id, outcome: "done" });
      touched.inc({ reason: reason.id }, count);
      log.info({ touched: count }, "bulk action done from the dashboard");
      res.redirect(
        303,
        `/needs-attention?reason=${encodeURIComponent(reason.id)}&bulk=${encodeURIComponent(reason.id)}&touched=${count}`,
      );
    } catch (error) {
      runs.inc({ reason: reason.id, outcome: "failed" });
      throw error;
    } finally {
      await deps.redis.eval(RELEASE_IF_OURS, 1, lock, token);
    }
  };
}
