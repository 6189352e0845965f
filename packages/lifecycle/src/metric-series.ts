import { Counter, Histogram, type Registry } from "prom-client";

/** Counters and histograms in one app's registry, each declared in one line where it is used. */
export function seriesIn(registry: Registry) {
  return {
    counter: <Label extends string = never>(name: string, help: string, labelNames: readonly Label[] = []) =>
      new Counter<Label>({ name, help, labelNames, registers: [registry] }),
    histogram: <Label extends string = never>(name: string, help: string, buckets: number[], labelNames: readonly Label[] = []) =>
      new Histogram<Label>({ name, help, buckets, labelNames, registers: [registry] }),
  };
}

/** HTTP answers by route pattern and status: the one series the AnuraHttp5xx alert reads, in every app that serves HTTP. */
export const httpRequests = (registry: Registry) =>
  seriesIn(registry).counter("anura_http_requests_total", "HTTP requests by route and status", ["route", "status"]);
