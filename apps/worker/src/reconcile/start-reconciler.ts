import { createAnuraApi } from "@anura/anura-api";
import { MAX_WINDOW_MS, type ReconcileContext, type RetryPolicy, reconcileStoredWindows } from "@anura/cdr-reconcile";
import type { CdrReconcileSettings } from "@anura/config";
import type { Db } from "@anura/db";
import type { Logger } from "@anura/logger";
import { jobRegistry, type Queues } from "@anura/queue";
import type { Registry } from "prom-client";
import { createReconcileMetrics } from "./metrics.ts";

/** Within one job: a bad answer is retried after about 0.5, 1 and 2 s before the window is given up for the job to retry. */
const RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500 };

export type CdrReconciler = ReturnType<typeof createCdrReconciler>;

/** The reconciler a worker runs cdr.reconcile jobs with, and the schedule that queues them. */
export function createCdrReconciler(
  deps: { db: Db; queues: Queues; log: Logger; registry: Registry },
  settings: CdrReconcileSettings,
) {
  const log = deps.log.child({ component: "cdr-reconcile" });
  const metrics = createReconcileMetrics(deps.registry, deps.db);
  const context: ReconcileContext & { onWindow: (status: "done" | "failed") => void } = {
    db: deps.db,
    queues: deps.queues,
    api: createAnuraApi(settings.api),
    log,
    timeZone: settings.api.timeZone,
    retry: RETRY,
    onApiError: metrics.apiError,
    onOutcome: metrics.outcome,
    onWindow: metrics.window,
  };
  const rules = { settleMs: settings.settleMs, overlapMs: settings.overlapMs, maxWindowMs: MAX_WINDOW_MS };
  let timer: NodeJS.Timeout | undefined;

  /** Every worker queues the same job id per poll interval, so one job runs per interval however many workers there are. */
  async function queueNext() {
    const queue = deps.queues.queues["cdr.reconcile"];
    await queue.setGlobalConcurrency(jobRegistry["cdr.reconcile"].concurrency.acrossWorkers);
    await deps.queues.enqueue("cdr.reconcile", { slot: Math.floor(Date.now() / settings.pollMs) });
  }
  const tick = () =>
    void queueNext().catch((error) => log.debug({ err: error }, "could not queue cdr.reconcile; next interval tries again"));

  return {
    run: () => reconcileStoredWindows(context, rules),
    /** Start queueing a job every ANURA_CDR_POLL_SECONDS (and one now). */
    schedule() {
      log.info(
        {
          pollSeconds: settings.pollMs / 1000,
          settleSeconds: settings.settleMs / 1000,
          overlapSeconds: settings.overlapMs / 1000,
        },
        "reconciling with Anura's CDR list",
      );
      tick();
      timer = setInterval(tick, settings.pollMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
