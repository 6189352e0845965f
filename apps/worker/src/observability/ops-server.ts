import type { RequestListener, ServerResponse } from "node:http";
import { type DependencyWatch, metricsHandler, readinessHandler } from "@anura/lifecycle";
import type { Registry } from "prom-client";

/** A worker's ops port: liveness, readiness (every dependency answers, else 503 naming it) and Prometheus metrics. */
export function opsRoutes(dependencies: DependencyWatch, registry: Registry): RequestListener {
  const readyz = readinessHandler(dependencies);
  const metrics = metricsHandler(registry);
  return (req, res) => {
    if (req.url === "/healthz") return send(res, 200, { status: "ok" });
    if (req.url === "/readyz") return readyz(req, res);
    if (req.url === "/metrics") return void metrics(req, res);
    send(res, 404, { error: "not found: use /healthz, /readyz or /metrics" });
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
