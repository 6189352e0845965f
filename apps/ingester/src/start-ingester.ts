import type { ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { IngesterSettings } from "@anura/config";
import { connectDatabase } from "@anura/db";
import { watchDependencies } from "@anura/lifecycle";
import type { Logger } from "@anura/logger";
import { connectQueues, redisCheck, waitUntilReady } from "@anura/queue";
import { ApiKeyCache } from "./auth/api-key-cache.ts";
import type { IngesterDeps } from "./deps.ts";
import { createWebhookLimiter } from "./http/rate-limits.ts";
import { startInboxRelay } from "./inbox/inbox-relay.ts";
import { registerInboxGauge } from "./observability/inbox-gauge.ts";
import { createIngesterMetrics } from "./observability/metrics.ts";
import { SourceActivityCounter } from "./observability/source-activity.ts";
import { createIngesterServer } from "./server.ts";

/** Often enough for a 30-minute silence alarm, rare enough to be one upsert per few thousand events. */
const ACTIVITY_FLUSH_MS = 5000;

/** Wire the ingester from its settings and start listening; close() drains and disconnects. */
export async function startIngester(settings: IngesterSettings, log: Logger) {
  const database = connectDatabase(settings.database);
  // Debug only: the dependency watch logs an outage once, these repeat on every reconnect attempt.
  const connection = connectQueues(settings.redis, (error) => log.debug({ err: error }, "redis connection error"));
  const { redis, queues } = connection;
  const dependencies = watchDependencies(log, { postgres: () => database.sql`select 1`, redis: redisCheck(redis) });
  await waitUntilReady(redis); // bounded: with Redis down the webhook still takes events into the Postgres inbox
  const rateLimit = { ...settings.rateLimit, prefix: settings.redis.queuePrefix };
  const webhookLimit = createWebhookLimiter(redis, rateLimit, log);
  const deps: IngesterDeps = {
    db: database.db,
    redis,
    queues,
    apiKeys: new ApiKeyCache(database.db, settings.apiKeyCacheMs),
    log,
    metrics: createIngesterMetrics(queues),
    dependencies,
    activity: new SourceActivityCounter(database.db, log),
    trustProxy: settings.trustProxy,
    timeZone: settings.timeZone,
    mapping: settings.mapping,
    rateLimit,
    webhookLimit,
  };
  registerInboxGauge(deps.metrics.registry, database.db);
  const relay = startInboxRelay(deps);
  deps.activity.start(ACTIVITY_FLUSH_MS);
  webhookLimit.start();
  const server = createIngesterServer(deps, settings.http).listen(settings.listen.port, settings.listen.host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const inFlight = new Set<ServerResponse>();
  server.on("request", (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
  });
  const port = (server.address() as AddressInfo).port;
  const where = `http://${settings.listen.host === "0.0.0.0" ? "localhost" : settings.listen.host}:${port}`;
  log.info({ port }, `ingester listening: webhook at POST ${where}/webhook/anura/`);

  return {
    port,
    /** What the server was built from, for tests that mount the Express app alone beside it. */
    deps,
    relayInbox: relay.relayOnce,
    flushActivity: () => deps.activity.flush(),
    /** Stop accepting, let in-flight requests finish, then disconnect. */
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Answer what is in flight with "Connection: close", or its keep-alive connection holds close() for keepAliveTimeout.
      for (const res of inFlight) res.shouldKeepAlive = false;
      server.closeIdleConnections();
      await closed;
      relay.stop();
      dependencies.stop();
      await relay.relayOnce();
      await deps.activity.stop();
      await webhookLimit.stop();
      await Promise.all([database.close(), connection.close()]);
    },
  };
}
