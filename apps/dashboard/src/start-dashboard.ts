import type { DashboardSettings } from "@anura/config";
import { startAppBase } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
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
  // Waits (bounded) for Redis: pages that need Redis fail (and say so) until it answers.
  const app = await startAppBase(settings, log, { waitForRedis: true });
  const { db, redis, queues } = app;
  const metrics = createDashboardMetrics(app.registry);
  const alarms = new AlarmMonitor({ db, log, ...settings.alarms });
  registerAlarmGauges(metrics.registry, alarms);
  alarms.start(60_000);
  const hourlyRows = new HourlyRowsCache(db, log).start(); // warm before the first page asks
  const routes = createDashboardApp({
    db,
    queues,
    log,
    credentials,
    redis,
    loginLimit: { ...settings.loginLimit, prefix: settings.redis.queuePrefix },
    metrics,
    dependencies: app.dependencies,
    alarms,
    hourlyRows,
    trustProxy: settings.trustProxy,
    recordingRetry: settings.recordingRetry,
    needsAttention: { ...settings.needsAttention, lockPrefix: settings.redis.queuePrefix },
  });
  const sampler = startQueueDepthSampler(db, queues, log);
  const server = await app.serve(
    routes,
    settings.listen,
    (where) => `dashboard listening: overview at ${where}/, queues at ${where}${BULL_BOARD_PATH}`,
  );

  return {
    port: server.port,
    alarms,
    /** Stop accepting, let in-flight requests finish, then disconnect. */
    close: () =>
      app.close(
        server.stop,
        () => sampler.stop(),
        () => hourlyRows.stop(),
        () => alarms.stop(),
      ),
  };
}
