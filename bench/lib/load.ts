import autocannon from "autocannon";
import { percentile } from "./stats.ts";

export interface LoadOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  /** Requests per second across all connections (autocannon's overallRate); unset = as fast as possible. */
  overallRate?: number;
}

export interface LoadResult {
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Successful responses per second. */
  rps: number;
  /** Latency of 2xx responses in ms, at sub-millisecond precision (autocannon's own histogram is whole ms). */
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
}

/** Drive `url` with POSTs of `body` via autocannon's programmatic API. */
export function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        body: options.body,
        headers: { "content-type": "application/json", ...options.headers },
        connections: options.connections,
        duration: options.seconds,
        // We keep our own latencies; autocannon's correction would assume 1 ms spacing at this rate.
        ...(options.overallRate ? { overallRate: options.overallRate, ignoreCoordinatedOmission: true } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
        );
        const total = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
        resolve({
          total,
          ok: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds: result.duration,
          rps: result["2xx"] / result.duration,
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          statusCodes,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}
