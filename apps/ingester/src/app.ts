import { metricsHandler, privateNetworkOnly, readinessHandler } from "@anura/lifecycle";
import express from "express";
import type { ApiKeyIdentity } from "./auth/api-key-cache.ts";
import { requireApiKey } from "./auth/require-api-key.ts";
import type { IngesterDeps } from "./deps.ts";
import { answerError } from "./http/answer-error.ts";
import { clientAddress } from "./http/client-address.ts";
import { publicRateLimit } from "./http/rate-limits.ts";
import { readRawBody } from "./http/read-raw-body.ts";
import { sendJson } from "./http/send-json.ts";
import { anuraHelpers } from "./routes/anura-helpers.ts";
import { health, SERVICE_NAME } from "./routes/health.ts";
import { testPayload } from "./routes/test-payload.ts";
import type { WebhookHandler } from "./routes/webhook.ts";
import { WEBHOOK_ROUTE } from "./routes/webhook-route.ts";

/** Every route; the server sends a webhook here only when its key is missing or not (yet) known. */
export function createIngesterApp(deps: IngesterDeps, webhook: WebhookHandler) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy); // TRUST_PROXY: req.ip is the client only as far as our own proxies say

  app.use(deps.metrics.track);
  app.get(
    "/metrics",
    privateNetworkOnly((req) => clientAddress(req, deps.trustProxy)),
    metricsHandler(deps.metrics.registry),
  );

  const failedAuthLimit = publicRateLimit(deps, "auth-failures");
  app.get("/readyz", readinessHandler(deps.dependencies)); // 503 naming the dependency down and why
  app.get("/webhook/anura/health", publicRateLimit(deps, "health"), health(deps));
  // The limiter fails closed when Redis is down; health then still answers in its own shape.
  app.use(
    "/webhook/anura/health",
    (_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      sendJson(res, 503, { status: "degraded", service: SERVICE_NAME, webhook_ready: false });
    },
  );
  app.post("/webhook/anura/test", publicRateLimit(deps, "test"), readRawBody, testPayload(deps));
  app.post(WEBHOOK_ROUTE.path, requireApiKey(deps.apiKeys, failedAuthLimit), (req, res) =>
    webhook(req, res, req.apiKey as ApiKeyIdentity),
  );

  app.use("/anura", requireApiKey(deps.apiKeys, failedAuthLimit), readRawBody, anuraHelpers(deps));

  app.use((_req, res) => {
    sendJson(res, 404, { success: false, error: "not found: the webhook is POST /webhook/anura/" });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    answerError(deps.log, res, error);
  });
  return app;
}
