import { createServer, type RequestListener, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { applyHttpLimits, type HttpServerSettings } from "@anura/config";

export interface HttpListener {
  port: number;
  /** http://host:port as a person would type it (localhost for 0.0.0.0). */
  where: string;
  /** Stop accepting, let in-flight requests finish (answered with "Connection: close"), then resolve. */
  stop(): Promise<void>;
}

/** An HTTP server with the HTTP_* limits, listening; resolves once it listens, rejects if it cannot. */
export async function listen(
  handler: RequestListener,
  at: { port: number; host: string },
  http: HttpServerSettings,
): Promise<HttpListener> {
  const server = createServer(http.options, handler);
  applyHttpLimits(server, http);
  const inFlight = new Set<ServerResponse>();
  server.on("request", (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
  });
  server.listen(at.port, at.host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    where: `http://${at.host === "0.0.0.0" ? "localhost" : at.host}:${port}`,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Otherwise a keep-alive connection that is answering now holds close() for keepAliveTimeout.
      for (const res of inFlight) res.shouldKeepAlive = false;
      server.closeIdleConnections();
      await closed;
    },
  };
}
