import express, { type ErrorRequestHandler } from "express";
import { requireApiKey } from "./auth/require-api-key.ts";
import type { IngesterDeps } from "./deps.ts";
import { publicRateLimit, webhookRateLimit } from "./http/rate-limits.ts";
import { readRawBody } from "./http/read-raw-body.ts";
import { privateNetworkOnly } from "./observability/private-network-only.ts";
import { anuraHelpers } from "./routes/anura-helpers.ts";
import { health, SERVICE_NAME } from "./routes/health.ts";
import { testPayload } from "./routes/test-payload.ts";
import { receiveWebhook } from "./routes/webhook.ts";

export function createIngesterApp(deps: IngesterDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1); // behind one load balancer: rate-limit by the client's address

  app.use(deps.metrics.track);
  app.get("/metrics", privateNetworkOnly, async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  const failedAuthLimit = publicRateLimit(deps, "auth-failures");
  app.get("/webhook/anura/health", publicRateLimit(deps, "health"), health(deps));
  // The limiter fails closed when Redis is down; health then still answers in its own shape.
  app.use("/webhook/anura/health", ((_error, _req, res, _next) => {
    res.status(503).json({ status: "degraded", service: SERVICE_NAME, webhook_ready: false });
  }) as ErrorRequestHandler);
  app.post("/webhook/anura/test", publicRateLimit(deps, "test"), readRawBody, testPayload(deps));
  app.post(
    "/webhook/anura{/}",
    requireApiKey(deps.apiKeys, failedAuthLimit),
    webhookRateLimit(deps),
    readRawBody,
    receiveWebhook(deps),
  );

  app.use("/anura", requireApiKey(deps.apiKeys, failedAuthLimit), readRawBody, anuraHelpers(deps));

  app.use((_req, res) => {
    res.status(404).json({ success: false, error: "not found: the webhook is POST /webhook/anura/" });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = typeof error.status === "number" && error.status < 500 ? error.status : 503;
    if (status >= 500) deps.log.error({ err: error }, "request failed");
    res.setHeader("Retry-After", "5");
    res.status(status).json({ success: false, error: status >= 500 ? "temporarily unavailable: retry shortly" : error.message });
  };
  app.use(onError);
  return app;
}
