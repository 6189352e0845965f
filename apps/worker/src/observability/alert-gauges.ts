import { countCallsAwaitingRecording, type Db } from "@anura/db";
import type { DependencyWatch } from "@anura/lifecycle";
import { Gauge, type Registry } from "prom-client";

/** Gauges the shipped alert rules read: readiness, and recordings still missing past reconciliation. */
export function registerAlertGauges(
  registry: Registry,
  deps: { db: Db; dependencies: DependencyWatch; reconcileAfterSeconds: number },
): void {
  new Gauge({
    name: "anura_worker_ready",
    help: "1 when this worker's Postgres, Redis and S3 answer (what /readyz says), else 0",
    registers: [registry],
    collect() {
      this.set(deps.dependencies.readiness().ready ? 1 : 0);
    },
  });
  let missing = 0;
  new Gauge({
    name: "anura_recordings_missing",
    help: "Recorded calls with no stored recording, quiet for longer than RECONCILE_AFTER",
    registers: [registry],
    async collect() {
      // Postgres down: keep the last count (anura_worker_ready says why) rather than fail the scrape.
      missing = await countCallsAwaitingRecording(deps.db, deps.reconcileAfterSeconds).catch(() => missing);
      this.set(missing);
    },
  });
}
