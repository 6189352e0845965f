import type { Outcome } from "@anura/cdr-reconcile";
import { type Db, reconciliationStatus } from "@anura/db";
import { seriesIn } from "@anura/lifecycle";
import { Gauge, type Registry } from "prom-client";

export type ReconcileMetrics = ReturnType<typeof createReconcileMetrics>;

/** The reconciler's counters, and gauges read from Postgres (the same in every worker, so alerts take max()). */
export function createReconcileMetrics(registry: Registry, db: Db) {
  const series = seriesIn(registry);
  const calls = series.counter(
    "anura_cdr_reconciled_calls_total",
    "CDRs checked against our calls: confirmed (we had it), recovered (created or completed from the CDR), failed (unreadable)",
    ["outcome"],
  );
  for (const outcome of ["confirmed", "recovered", "failed"]) calls.inc({ outcome }, 0);
  const apiErrors = series.counter(
    "anura_cdr_api_errors_total",
    "Bad answers from Anura's API by kind (http, auth, timeout, network, malformed, shape, too_large); each is retried",
    ["kind"],
  );
  const windows = series.counter(
    "anura_cdr_windows_total",
    "CDR windows checked to the end (done) or given up for a retry (failed)",
    ["status"],
  );
  for (const state of ["done", "failed"]) windows.inc({ status: state }, 0);
  const startedAt = Date.now();
  let status: Awaited<ReturnType<typeof reconciliationStatus>> | null = null;
  // One query per scrape for the three gauges below (each collect() asks; a scrape reads them together).
  let reading: Promise<void> | null = null;
  const refresh = () => {
    reading ??= reconciliationStatus(db)
      .then((value) => {
        status = value;
      })
      .catch(() => {}) // Postgres down: keep the last values; anura_worker_ready says why
      .finally(() => setTimeout(() => (reading = null), 1000).unref());
    return reading;
  };
  new Gauge({
    name: "anura_cdr_reconcile_lag_seconds",
    help: "How far behind reconciliation with Anura's CDR list is: now minus the end of the last window checked",
    registers: [registry],
    async collect() {
      await refresh();
      if (status?.reconciledUntil) this.set((Date.now() - status.reconciledUntil.getTime()) / 1000);
    },
  });
  new Gauge({
    name: "anura_cdr_reconcile_last_success_timestamp_seconds",
    help: "When a CDR window was last checked to the end (Unix time); this worker's start until one is",
    registers: [registry],
    async collect() {
      await refresh();
      // Never yet (e.g. wrong credentials from the start): the start time, so the 30-minute alert still fires.
      this.set((status?.lastSuccessAt?.getTime() ?? startedAt) / 1000);
    },
  });
  new Gauge({
    name: "anura_cdr_recovered_calls_last_hour",
    help: "Calls created from Anura's CDR list in the last hour, by Anura account: their webhooks were lost",
    labelNames: ["account"],
    registers: [registry],
    async collect() {
      await refresh();
      this.reset();
      for (const { account, calls: n } of status?.recoveredLastHour ?? []) this.set({ account }, n);
    },
  });
  return {
    outcome: (outcome: Outcome) => calls.inc({ outcome }),
    apiError: (kind: string) => apiErrors.inc({ kind }),
    window: (state: "done" | "failed") => windows.inc({ status: state }),
  };
}
