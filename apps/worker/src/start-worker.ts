import type { WorkerSettings } from "@anura/config";
import { startAppBase } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import { concurrencyOf, createRedisConnection, placeQueues } from "@anura/queue";
import { createRecordingStore } from "@anura/storage";
import type { Worker } from "bullmq";
import type { WorkerDeps } from "./deps.ts";
import { registerAlertGauges } from "./observability/alert-gauges.ts";
import { createWorkerMetrics } from "./observability/metrics.ts";
import { opsRoutes } from "./observability/ops-server.ts";
import { createQueueConsumers, selectQueues } from "./queue-consumers.ts";
import { createCdrReconciler } from "./reconcile/start-reconciler.ts";
import { AddressGuard } from "./recording/address-guard.ts";
import { startSweeper } from "./sweeper/start-sweeper.ts";

/** Wire a worker process from its settings: the queues it was told to consume, and its ops port. */
export async function startWorker(settings: WorkerSettings, log: Logger) {
  // Without API credentials there is nothing to reconcile with: the queue is left to workers that have them.
  const selected = selectQueues(settings.queues, placeQueues(settings.redis.queuePrefix, settings.redis.queuePartitions)).filter(
    (p) => p.job !== "cdr.reconcile" || settings.cdrReconcile,
  );
  if (!settings.cdrReconcile) {
    log.info("reconciliation with Anura's CDR list is off: set ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET to turn it on");
  }
  const queueNames = selected.map((p) => p.queueName);
  const store = createRecordingStore(settings.s3);
  // Nothing below waits for a dependency: the process serves /readyz (503 naming what is down) and
  // consumes once Postgres and S3 answer, so a dependency that is down at start is no crash.
  const app = await startAppBase(settings, log, {
    checks: { s3: () => store.ensureBucket() }, // creates the bucket the first time S3 answers
  });
  const { db, queues, dependencies } = app;
  const consumer = createRedisConnection(settings.redis, "worker");
  consumer.on("error", app.quietly);

  const metrics = createWorkerMetrics(app.registry, queues, db);
  registerAlertGauges(metrics.registry, {
    db,
    dependencies,
    reconcileAfterSeconds: settings.sweeper.reconcileAfterSeconds,
  });
  const deps: WorkerDeps = {
    db,
    queues,
    store,
    log,
    metrics,
    mapping: settings.mapping,
    task: settings.task,
    recording: { ...settings.recording, guard: new AddressGuard(settings.recording.allowedHosts) },
  };
  if (settings.cdrReconcile && selected.some((p) => p.job === "cdr.reconcile")) {
    deps.cdrs = createCdrReconciler({ ...deps, registry: metrics.registry }, settings.cdrReconcile);
  }
  const workers = createQueueConsumers(deps, {
    queues: selected,
    concurrency: settings.concurrency,
    connection: consumer,
    lockMs: settings.jobLockMs,
  });
  // A job taken before Postgres and S3 answer could only fail and back off: it waits in Redis instead.
  let closing = false;
  const consuming = dependencies.whenUp(["postgres", "s3"]).then(() => {
    if (closing) return;
    for (const worker of workers) void worker.run().catch((error) => log.error({ err: error }, "worker stopped on an error"));
    log.info({ queues: queueNames }, "consuming jobs");
    deps.cdrs?.schedule();
  });
  const ops = await app.serve(opsRoutes(dependencies, metrics.registry), { port: settings.metricsPort, host: "0.0.0.0" });
  const sweeper = startSweeper(deps, {
    redis: app.redis,
    prefix: settings.redis.queuePrefix,
    ...settings.sweeper,
    onSweep: metrics.sweepDone,
  });
  const health = `${ops.where}/readyz`;
  const concurrency = Object.fromEntries(selected.map((p) => [p.queueName, concurrencyOf(p.job, settings.concurrency)]));
  log.info({ queues: queueNames, concurrency, metricsPort: ops.port, health }, "worker started");

  return {
    deps,
    dependencies,
    workers,
    sweeper,
    opsPort: ops.port,
    /** Stop taking jobs, let running ones finish, then disconnect; /healthz answers until the jobs are done. */
    async close() {
      closing = true; // a dependency that answers from now on must not start the consumers
      await app.close(
        () => consuming,
        () => deps.cdrs?.stop(),
        () => sweeper.stop(),
        () => closeWithin(workers, Math.max(1000, settings.shutdownTimeoutMs - 2000), log),
        ops.stop,
        () => consumer.quit().catch(() => {}),
      );
    },
  };
}

/**
 * Let running jobs finish, but not forever: BullMQ's close() can wait indefinitely on a blocking
 * connection that is still reconnecting after a Redis outage (taskforcesh/bullmq#4656). Jobs left
 * behind are handed to another worker by the stalled-job check, so giving up here loses nothing.
 */
async function closeWithin(workers: Worker[], budgetMs: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(workers.map((worker) => worker.close())).then(() => true);
  const gaveUp = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, budgetMs, false);
  });
  const finished = await Promise.race([closed, gaveUp]);
  clearTimeout(timer);
  if (!finished) log.warn({ budgetMs }, "workers did not close in time: unfinished jobs will be retried elsewhere");
}
