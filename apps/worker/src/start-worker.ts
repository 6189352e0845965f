import { httpServerSettings, type WorkerEnv } from "@anura/config";
import { createDb } from "@anura/db";
import { watchDependencies } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import { createQueues, createRedisConnection, type JobName, jobRegistry, redisCheck } from "@anura/queue";
import { createRecordingStore } from "@anura/storage";
import type { Worker } from "bullmq";
import { buildWorkerDeps } from "./build-deps.ts";
import { registerAlertGauges } from "./ops/alert-gauges.ts";
import { createWorkerMetrics } from "./ops/metrics.ts";
import { startOpsServer } from "./ops/ops-server.ts";
import { selectQueues, startWorkers } from "./start-workers.ts";
import { startSweeper } from "./sweeper/start-sweeper.ts";

/** Wire a worker process from its environment: the queues it was told to consume, and its ops port. */
export async function startWorker(env: WorkerEnv, log: Logger) {
  if (!env.S3_ENDPOINT || !env.S3_ACCESS_KEY || !env.S3_SECRET_KEY) {
    throw new Error("S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY are required (`pnpm start` runs a development S3 when unset)");
  }
  const selected = selectQueues(env.WORKER_QUEUES);
  const database = createDb(env.DATABASE_URL);
  const producer = createRedisConnection(env.REDIS_URL, "producer");
  const consumer = createRedisConnection(env.REDIS_URL, "worker");
  // Debug only: the dependency watch logs an outage once, these would repeat on every reconnect attempt.
  for (const connection of [producer, consumer])
    connection.on("error", (error) => log.debug({ err: error }, "redis connection error"));
  const queues = createQueues(producer, env.QUEUE_PREFIX, (error) => log.debug({ err: error }, "queue connection error"));
  const store = createRecordingStore({
    endpoint: env.S3_ENDPOINT,
    accessKey: env.S3_ACCESS_KEY,
    secretKey: env.S3_SECRET_KEY,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
  });
  // Nothing below waits for a dependency: the process serves /readyz (503 naming what is down) and
  // consumes once Postgres and S3 answer, so a dependency that is down at start is no crash.
  const dependencies = watchDependencies(log, {
    postgres: () => database.sql`select 1`,
    redis: redisCheck(producer),
    s3: () => store.ensureBucket(), // creates the bucket the first time S3 answers
  });

  const metrics = createWorkerMetrics(queues, database.db);
  registerAlertGauges(metrics.registry, {
    db: database.db,
    redis: producer,
    sql: database.sql,
    reconcileAfterSeconds: env.RECONCILE_AFTER,
  });
  const deps = buildWorkerDeps(env, { db: database.db, queues, store, log, metrics });
  const concurrency = Object.fromEntries(selected.map((name) => [name, env[jobRegistry[name].concurrencyEnv]])) as Record<
    JobName,
    number
  >;
  const workers = startWorkers(deps, {
    queues: selected,
    concurrency,
    connection: consumer,
    prefix: env.QUEUE_PREFIX,
    lockSeconds: env.JOB_LOCK_SECONDS,
  });
  // A job taken before Postgres and S3 answer could only fail and back off: it waits in Redis instead.
  let closing = false;
  const consuming = dependencies.whenUp(["postgres", "s3"]).then(() => {
    if (closing) return;
    for (const worker of workers) void worker.run().catch((error) => log.error({ err: error }, "worker stopped on an error"));
    log.info({ queues: selected }, "consuming jobs");
  });
  const ops = await startOpsServer({
    port: env.WORKER_METRICS_PORT,
    host: "0.0.0.0",
    dependencies,
    registry: metrics.registry,
    http: httpServerSettings(env),
  });
  const sweeper = startSweeper(deps, {
    redis: producer,
    prefix: env.QUEUE_PREFIX,
    intervalSeconds: env.SWEEP_INTERVAL,
    reconcileAfterSeconds: env.RECONCILE_AFTER,
    staleAfterSeconds: env.STALE_CALL_AFTER,
    personalDataRetentionDays: env.PERSONAL_DATA_RETENTION_DAYS,
    onSweep: metrics.sweepDone,
  });
  const health = `http://localhost:${ops.port}/readyz`;
  log.info({ queues: selected, concurrency, metricsPort: ops.port, health }, "worker started");

  return {
    deps,
    dependencies,
    workers,
    sweeper,
    opsPort: ops.port,
    /** Stop taking jobs, let running ones finish, then disconnect. */
    async close() {
      closing = true;
      dependencies.stop();
      await consuming;
      await sweeper.stop();
      await closeWithin(workers, Math.max(1000, env.SHUTDOWN_TIMEOUT * 1000 - 2000), log);
      await Promise.all([queues.close(), ops.close()]);
      await Promise.all([database.close(), consumer.quit().catch(() => {}), producer.quit().catch(() => {})]);
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
