import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateMp3 } from "./mp3.ts";
import { MAX_SAMPLE_SECONDS } from "./url.ts";

export { sampleRecordingUrl } from "./url.ts";

export interface SampleRecordingServer {
  baseUrl: string;
  /** host:port as the worker's RECORDING_ALLOWED_HOSTS must name it. */
  host: string;
  close(): Promise<void>;
}

/**
 * Stands in for Anura's recording host in development: GET /recordings/<any>.mp3?seconds=N
 * answers a real MP3 tone of N seconds. Never part of a production app.
 */
export async function startSampleRecordingServer(options: { port?: number; host?: string } = {}): Promise<SampleRecordingServer> {
  const cache = new Map<number, Buffer>();
  const server = createServer((req, res) => answer(req, res, cache));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return {
    baseUrl: `http://${reachable}:${port}`,
    host: `${reachable}:${port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(req: IncomingMessage, res: ServerResponse, cache: Map<number, Buffer>) {
  const url = new URL(req.url ?? "/", "http://sample");
  if (url.pathname === "/health") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
  if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
  if (!/^\/recordings\/[^/]+\.mp3$/.test(url.pathname)) {
    return void res.writeHead(404, { "content-type": "text/plain" }).end("try /recordings/<name>.mp3?seconds=20\n");
  }
  const seconds = Number(url.searchParams.get("seconds") ?? 20);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SAMPLE_SECONDS) {
    return void res
      .writeHead(400, { "content-type": "text/plain" })
      .end(`seconds must be a whole number from 1 to ${MAX_SAMPLE_SECONDS}\n`);
  }
  let body = cache.get(seconds);
  if (!body) {
    body = generateMp3(seconds);
    cache.set(seconds, body);
  }
  res.writeHead(200, { "content-type": "audio/mpeg", "content-length": body.length });
  res.end(req.method === "HEAD" ? undefined : body);
}
