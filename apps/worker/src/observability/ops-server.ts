import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { applyHttpLimits, type HttpServerSettings } from "@anura/config";
import { type DependencyWatch, readinessHandler } from "@anura/lifecycle";
import type { Registry } from "prom-client";

/** Liveness, readiness (every dependency answers, else 503 naming it) and Prometheus metrics for one worker process. */
export async function startOpsServer(options: {
  port: number;
  host: string;
  dependencies: DependencyWatch;
  registry: Registry;
  http: HttpServerSettings;
}) {
  const readyz = readinessHandler(options.dependencies);
  const server = createServer(options.http.options, async (req, res) => {
    if (req.url === "/healthz") return send(res, 200, { status: "ok" });
    if (req.url === "/readyz") return readyz(req, res);
    if (req.url === "/metrics") return sendMetrics(res, options.registry);
    send(res, 404, { error: "not found: use /healthz, /readyz or /metrics" });
  });
  applyHttpLimits(server, options.http);
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A gauge that cannot be collected answers 500 saying which, never an unhandled rejection that ends the process. */
async function sendMetrics(res: import("node:http").ServerResponse, registry: Registry) {
  try {
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType });
    res.end(text);
  } catch (error) {
    send(res, 500, { error: `metrics unavailable: ${(error as Error).message}` });
  }
}

function send(res: import("node:http").ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
