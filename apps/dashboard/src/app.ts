import { metricsHandler, privateNetworkOnly, readinessHandler } from "@anura/lifecycle";
import express, { type ErrorRequestHandler, type Request } from "express";
import { BULL_BOARD_PATH, bullBoardRouter } from "./bull-board.ts";
import type { DashboardDeps } from "./deps.ts";
import { basicAuth } from "./http/basic-auth.ts";
import { createLoginGuard } from "./http/login-guard.ts";
import { sameOriginOnly } from "./http/same-origin.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { BULK_ACTION_PATH, bulkAction } from "./needs-attention/bulk-action.ts";
import { NEEDS_ATTENTION_PATH, needsAttentionPage } from "./routes/needs-attention.ts";
import { overviewPage } from "./routes/overview.ts";
import { RETRY_RECORDING_PATH, retryRecording } from "./routes/retry-recording.ts";

export function createDashboardApp(deps: DashboardDeps) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.use(deps.metrics.track);
  app.use(securityHeaders);
  // Before the login: Prometheus scrapes it unauthenticated, from private networks only.
  app.get(
    "/metrics",
    privateNetworkOnly((req: Request) => req.ip ?? ""),
    metricsHandler(deps.metrics.registry),
  );
  app.get("/readyz", readinessHandler(deps.dependencies)); // for orchestrators, like /metrics: no login
  app.use(sameOriginOnly); // before auth: a forged request is refused even when the browser sends the login
  const loginGuard = createLoginGuard(deps.redis, deps.loginLimit, deps.metrics, deps.log);
  app.use(basicAuth(deps.credentials, loginGuard, deps.metrics));

  app.get("/", overviewPage(deps));
  app.get(NEEDS_ATTENTION_PATH, needsAttentionPage(deps));
  app.post(RETRY_RECORDING_PATH, retryRecording(deps));
  app.post(BULK_ACTION_PATH, bulkAction(deps));
  app.use(BULL_BOARD_PATH, bullBoardRouter(deps.queues));

  app.use((_req, res) => {
    res.status(404).type("text").send(`not found: the overview is / and the queues are ${BULL_BOARD_PATH}\n`);
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    deps.log.error({ err: error }, "request failed");
    res.status(500).type("text").send("dashboard error: see the dashboard log (is Postgres or Redis down?)\n");
  };
  app.use(onError);
  return app;
}
