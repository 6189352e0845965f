import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Registry } from "prom-client";

/** An app's Prometheus registry: the process's default series; the app registers its own beside them. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * GET /metrics for every app, in Prometheus's text format. A gauge that cannot be collected answers
 * 500 saying which, never an unhandled rejection that ends the process.
 */
export function metricsHandler(registry: Registry) {
  return async (_req: IncomingMessage, res: ServerResponse) => {
    try {
      const text = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType });
      res.end(text);
    } catch (error) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `metrics unavailable: ${(error as Error).message}` }));
    }
  };
}
