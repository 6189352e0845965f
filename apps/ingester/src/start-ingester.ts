import type { IngesterSettings } from "@anura/config";
import { startAppBase } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import { batchedEnqueue } from "@anura/queue";
import { ApiKeyCache } from "./auth/api-key-cache.ts";
import type { IngesterDeps } from "./deps.ts";
import { createWebhookLimiter } from "./http/rate-limits.ts";
import { startInboxRelay } from "./inbox/inbox-relay.ts";
import { registerInboxGauge } from "./observability/inbox-gauge.ts";
import { createIngesterMetrics } from "./observability/metrics.ts";
import { SourceActivityCounter } from "./observability/source-activity.ts";
import { ingesterRequestListener } from "./server.ts";

/** Often enough for a 30-minute silence alarm, rare enough to be one upsert per few thousand events. */
const ACTIVITY_FLUSH_MS = 5000;

/** Wire the ingester from its settings and start listening; close() drains and disconnects. */
export async function startIngester(settings: IngesterSettings, log: Logger) {
  // Waits (bounded) for Redis: with Redis down the webhook still takes events into the Postgres inbox.
  const app = await startAppBase(settings, log, { waitForRedis: true });
  const { db, redis, queues, registry } = app;
  const rateLimit = { ...settings.rateLimit, prefix: settings.redis.queuePrefix };
  const webhookLimit = createWebhookLimiter(redis, rateLimit, log);
  const deps: IngesterDeps = {
    db,
    redis,
    queues,
    enqueue: batchedEnqueue(queues),
    apiKeys: new ApiKeyCache(db, settings.apiKeyCacheMs),
    log,
    metrics: createIngesterMetrics(registry, queues),
    dependencies: app.dependencies,
    activity: new SourceActivityCounter(db, log),
    trustProxy: settings.trustProxy,
    timeZone: settings.timeZone,
    mapping: settings.mapping,
    rateLimit,
    webhookLimit,
  };
  registerInboxGauge(registry, db);
  const relay = startInboxRelay(deps);
  deps.activity.start(ACTIVITY_FLUSH_MS);
  webhookLimit.start();
  const server = await app.serve(
    ingesterRequestListener(deps),
    settings.listen,
    (where) => `ingester listening: webhook at POST ${where}/webhook/anura/`,
  );

  return {
    port: server.port,
    /** What the server was built from, for tests that mount the Express app alone beside it. */
    deps,
    relayInbox: relay.relayOnce,
    flushActivity: () => deps.activity.flush(),
    /** Stop accepting, let in-flight requests finish, relay what the inbox still holds, then disconnect. */
    close: () =>
      app.close(
        server.stop,
        () => deps.enqueue.flush(), // in-flight requests flushed theirs; nothing may wait past Redis closing
        relay.stop,
        relay.relayOnce,
        () => deps.activity.stop(),
        () => webhookLimit.stop(),
      ),
  };
}
