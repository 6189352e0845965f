import type { ServerResponse } from "node:http";
import { httpRequests, seriesIn } from "@anura/lifecycle";
import type { Queues } from "@anura/queue";
import { registerQueueGauges } from "@anura/queue";
import type { NextFunction, Request, Response } from "express";
import type { Registry } from "prom-client";

export type IngesterMetrics = ReturnType<typeof createIngesterMetrics>;

/** The ingester's series, and the queues' depth, in the app's registry. */
export function createIngesterMetrics(registry: Registry, queues: Queues) {
  registerQueueGauges(registry, queues);
  const series = seriesIn(registry);
  const requests = httpRequests(registry);
  const latency = series.histogram(
    "anura_http_request_duration_seconds",
    "Time to answer, by route",
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    ["route"],
  );
  const events = series.counter("anura_webhook_events_total", "Accepted events by trigger and path (queue or inbox)", [
    "trigger",
    "via",
  ]);

  /** Count and time a response under its route pattern (not its URL, which would explode cardinality). */
  function timeResponse(res: ServerResponse, route: () => string) {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const name = route();
      requests.inc({ route: name, status: String(res.statusCode) });
      latency.observe({ route: name }, Number(process.hrtime.bigint() - started) / 1e9);
    });
  }

  /** Express middleware: every request Express answers, under the route it matched. */
  function track(req: Request, res: Response, next: NextFunction) {
    timeResponse(res, () => (req.route?.path ? `${req.baseUrl}${req.route.path}` : "unmatched"));
    next();
  }

  return { registry, track, timeResponse, events };
}
