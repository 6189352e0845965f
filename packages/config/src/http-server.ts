import type { ServerOptions } from "node:http";
import type { z } from "zod";
import type { httpServerEnv } from "./core.ts";

export type HttpServerEnv = z.output<typeof httpServerEnv>;

export interface HttpServerSettings {
  options: ServerOptions;
  maxConnections: number;
}

/** node:http options from the HTTP_* variables; apply maxConnections to the server once created. */
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
  };
}
