import { Agent, request } from "node:http";
import { sleep } from "./stats.ts";

export interface OpenLoopResult {
  /** performance.now() each body was sent at, by index. */
  sentAt: number[];
  /** Bodies not answered 2xx. */
  failed: number;
}

/** POST body i at start + i/rate whatever happened to the earlier ones (keep-alive sockets, as many as needed). */
export async function postOpenLoop(
  target: string,
  headers: Record<string, string>,
  bodies: string[],
  rate: number,
): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(target);
  const sentAt: number[] = [];
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const send = (body: string) =>
    new Promise<void>((resolve) => {
      const options = {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      };
      const req = request(options, (res) => {
        res.resume();
        res.once("end", () => {
          if (!res.statusCode || res.statusCode >= 300) failed++;
          resolve();
        });
      });
      req.once("error", () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const start = performance.now();
  for (let i = 0; i < bodies.length; ) {
    while (i < bodies.length && start + (i * 1000) / rate <= performance.now()) {
      sentAt[i] = performance.now();
      inFlight.push(send(bodies[i] as string));
      i++;
    }
    await sleep(Math.max(0, start + (i * 1000) / rate - performance.now()));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { sentAt, failed };
}
