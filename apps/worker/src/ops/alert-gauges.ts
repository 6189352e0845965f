import { countCallsAwaitingRecording, type Db } from "@anura/db";
import type { Redis } from "ioredis";
import type postgres from "postgres";
import { Gauge, type Registry } from "prom-client";
import { checkReadiness } from "./readiness.ts";

/** Gauges the shipped alert rules read: readiness, and recordings still missing past reconciliation. */
export function registerAlertGauges(
  registry: Registry,
  deps: { db: Db; redis: Redis; sql: postgres.Sql; reconcileAfterSeconds: number },
): void {
  new Gauge({
    name: "anura_worker_ready",
    help: "1 when this worker's Redis and Postgres answer (what /readyz says), else 0",
    registers: [registry],
    async collect() {
      const ready = await checkReadiness(deps.redis, deps.sql);
      this.set(ready.redis && ready.postgres ? 1 : 0);
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
