import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { applyHttpLimits, type DashboardEnv, httpServerSettings } from "@anura/config";
import { createDb } from "@anura/db";
import { watchDependencies } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import { createQueues, createRedisConnection, redisCheck, waitUntilReady } from "@anura/queue";
import { registerAlarmGauges } from "./alarms/alarm-gauges.ts";
import { AlarmMonitor } from "./alarms/alarm-monitor.ts";
import { createDashboardApp } from "./app.ts";
import { BULL_BOARD_PATH } from "./bull-board.ts";
import { resolveCredentials } from "./credentials.ts";
import { createDashboardMetrics } from "./observability/metrics.ts";
import { startQueueDepthSampler } from "./overview/queue-depth-sampler.ts";

/** Wire the dashboard from its environment and start listening; close() drains and disconnects. */
export async function startDashboard(env: DashboardEnv, log: Logger) {
  const credentials = resolveCredentials(env, log); // first: refuse to start unprotected before opening anything
  const database = createDb(env.DATABASE_URL, { max: 4 });
  const redis = createRedisConnection(env.REDIS_URL, "producer");
  // Debug only: the dependency watch logs an outage once, this would repeat on every reconnect attempt.
  redis.on("error", (error) => log.debug({ err: error }, "redis connection error"));
  const dependencies = watchDependencies(log, { postgres: () => database.sql`select 1`, redis: redisCheck(redis) });
  await waitUntilReady(redis); // bounded: pages that need Redis fail (and say so) until it answers
  // Logged quietly: BullMQ would otherwise print raw stacks while Redis is down.
  const queues = createQueues(redis, env.QUEUE_PREFIX, (error) => log.debug({ err: error }, "queue connection error"));
  const metrics = createDashboardMetrics();
  const alarms = new AlarmMonitor({
    db: database.db,
    log,
    silenceAfterSeconds: env.SILENCE_ALERT_AFTER,
    stallAfterSeconds: env.TRANSCRIPTION_STALL_AFTER,
  });
  registerAlarmGauges(metrics.registry, alarms);
  alarms.start(60_000);
  const app = createDashboardApp({
    db: database.db,
    sql: database.sql,
    queues,
    log,
    credentials,
    redis,
    loginLimit: {
      attempts: env.DASHBOARD_LOGIN_ATTEMPTS,
      windowMs: env.DASHBOARD_LOGIN_WINDOW * 1000,
      prefix: env.QUEUE_PREFIX,
    },
    metrics,
    dependencies,
    alarms,
    trustProxy: env.TRUST_PROXY,
    recordingRetry: { delaysSeconds: env.RECORDING_RETRY_DELAYS, horizonMs: env.RECORDING_RETRY_HORIZON * 1000 },
  });
  const sampler = startQueueDepthSampler(database.db, queues, log);

  const http = httpServerSettings(env);
  const server = createServer(http.options, app);
  applyHttpLimits(server, http);
  server.listen(env.DASHBOARD_PORT, env.HOST);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const port = (server.address() as AddressInfo).port;
  const where = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${port}`;
  log.info({ port }, `dashboard listening: overview at ${where}/, queues at ${where}${BULL_BOARD_PATH}`);

  return {
    port,
    alarms,
    /** Stop accepting, let in-flight requests finish, then disconnect. */
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await sampler.stop();
      alarms.stop();
      dependencies.stop();
      await queues.close();
      await Promise.all([database.close(), redis.quit().catch(() => {})]);
    },
  };
}
