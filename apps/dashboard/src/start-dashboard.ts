import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { applyHttpLimits, type DashboardSettings } from "@anura/config";
import { connectDatabase } from "@anura/db";
import { watchDependencies } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import { connectQueues, redisCheck, waitUntilReady } from "@anura/queue";
import { registerAlarmGauges } from "./alarms/alarm-gauges.ts";
import { AlarmMonitor } from "./alarms/alarm-monitor.ts";
import { createDashboardApp } from "./app.ts";
import { BULL_BOARD_PATH } from "./bull-board.ts";
import { resolveCredentials } from "./credentials.ts";
import { createDashboardMetrics } from "./observability/metrics.ts";
import { HourlyRowsCache } from "./overview/hourly-rows-cache.ts";
import { startQueueDepthSampler } from "./overview/queue-depth-sampler.ts";

/** Wire the dashboard from its settings and start listening; close() drains and disconnects. */
export async function startDashboard(settings: DashboardSettings, log: Logger) {
  // First: refuse to start unprotected before opening anything.
  const credentials = resolveCredentials(settings.login, settings.production, log);
  const database = connectDatabase(settings.database);
  // Debug only: the dependency watch logs an outage once, these repeat on every reconnect attempt.
  const connection = connectQueues(settings.redis, (error) => log.debug({ err: error }, "redis connection error"));
  const { redis, queues } = connection;
  const dependencies = watchDependencies(log, { postgres: () => database.sql`select 1`, redis: redisCheck(redis) });
  await waitUntilReady(redis); // bounded: pages that need Redis fail (and say so) until it answers
  const metrics = createDashboardMetrics();
  const alarms = new AlarmMonitor({ db: database.db, log, ...settings.alarms });
  registerAlarmGauges(metrics.registry, alarms);
  alarms.start(60_000);
  const hourlyRows = new HourlyRowsCache(database.db, log).start(); // warm before the first page asks
  const app = createDashboardApp({
    db: database.db,
    queues,
    log,
    credentials,
    redis,
    loginLimit: { ...settings.loginLimit, prefix: settings.redis.queuePrefix },
    metrics,
    dependencies,
    alarms,
    hourlyRows,
    trustProxy: settings.trustProxy,
    recordingRetry: settings.recordingRetry,
    needsAttention: { ...settings.needsAttention, lockPrefix: settings.redis.queuePrefix },
  });
  const sampler = startQueueDepthSampler(database.db, queues, log);

  const server = createServer(settings.http.options, app);
  applyHttpLimits(server, settings.http);
  server.listen(settings.listen.port, settings.listen.host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const port = (server.address() as AddressInfo).port;
  const where = `http://${settings.listen.host === "0.0.0.0" ? "localhost" : settings.listen.host}:${port}`;
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
      await hourlyRows.stop();
      alarms.stop();
      dependencies.stop();
      await Promise.all([database.close(), connection.close()]);
    },
  };
}
