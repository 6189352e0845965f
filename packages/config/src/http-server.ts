import type { Server, ServerOptions } from "node:http";
import type { z } from "zod";
import type { httpServerEnv } from "./core.ts";

export type HttpServerEnv = z.output<typeof httpServerEnv>;

export interface HttpServerSettings {
  options: ServerOptions;
  maxConnections: number;
  /** A connection must start its first request within this long. */
  firstRequestTimeoutMs: number;
}

/** node:http options from the HTTP_* variables; pass them to createServer, then applyHttpLimits. */
export function httpServerSettings(env: HttpServerEnv): HttpServerSettings {
  const headersTimeout = env.HTTP_HEADERS_TIMEOUT * 1000;
  // Node rejects a headers timeout longer than a non-zero request timeout.
  const requestTimeout = env.HTTP_REQUEST_TIMEOUT === 0 ? 0 : Math.max(env.HTTP_REQUEST_TIMEOUT * 1000, headersTimeout);
  return {
    options: {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT * 1000,
      // Node checks these timeouts every 30 s by default, letting a slow client stay that much longer.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, headersTimeout)),
    },
    maxConnections: env.HTTP_MAX_CONNECTIONS,
    firstRequestTimeoutMs: headersTimeout,
  };
}

const awaitingFirstRequest = Symbol("awaitingFirstRequest");

/**
 * The connection cap, and a deadline for connections that never send a byte: Node's headers
 * timeout only starts with the first byte, so a silent connection would otherwise stay for ever.
 */
export function applyHttpLimits(server: Server, settings: HttpServerSettings): void {
  server.maxConnections = settings.maxConnections;
  if (settings.firstRequestTimeoutMs === 0) return;
  server.on("connection", (socket) => {
    Object.assign(socket, { [awaitingFirstRequest]: true });
    socket.setTimeout(settings.firstRequestTimeoutMs); // Node destroys a timed-out socket nobody answers for
  });
  server.on("request", (req) => {
    const socket = req.socket as typeof req.socket & { [awaitingFirstRequest]?: boolean };
    if (!socket[awaitingFirstRequest]) return;
    socket[awaitingFirstRequest] = false;
    socket.setTimeout(0); // from here Node's own headers, request and keep-alive timeouts apply
  });
}
