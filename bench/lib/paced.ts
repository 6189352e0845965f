import { Agent, request } from "node:http";
import { percentile, sleep } from "./stats.ts";

export interface PacedOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  rate: number;
  seconds: number;
}

/**
 * Open-loop load: request i is sent at start + i/rate whatever happened to the earlier ones
 * (keep-alive sockets, as many as needed), so the offered load is even, not a burst per second.
 */
export async function paced(options: PacedOptions): Promise<{ sent: number; ok: number; p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(options.url);
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(options.body), ...options.headers };
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const send = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers }, (res) => {
        res.resume();
        res.once("end", () => {
          if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - sent);
          resolve();
        });
      });
      req.once("error", () => resolve());
      req.end(options.body);
    });
  const count = options.rate * options.seconds;
  const start = performance.now();
  for (let i = 0; i < count; ) {
    // Timers fire at ~1 ms granularity: send whatever is due, then sleep until the next one.
    while (i < count && start + (i * 1000) / options.rate <= performance.now()) {
      inFlight.push(send());
      i++;
    }
    await sleep(Math.max(0, start + (i * 1000) / options.rate - performance.now()));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { sent: count, ok: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
