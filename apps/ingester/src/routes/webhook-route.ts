import type { IncomingMessage } from "node:http";
import { match } from "path-to-regexp";

/** The webhook's one route, read by Express (app.ts) and by the server's fast path (server.ts). */
export const WEBHOOK_ROUTE = { method: "POST", path: "/webhook/anura{/}" } as const;

// path-to-regexp's defaults are Express 5's router defaults (case-insensitive, optional trailing slash).
const matchesPath = match(WEBHOOK_ROUTE.path);

/** Whether a plain node:http request is the webhook, exactly as Express would route it. */
export function isWebhookRequest(req: IncomingMessage): boolean {
  if (req.method !== WEBHOOK_ROUTE.method) return false;
  const url = req.url ?? "";
  const query = url.indexOf("?");
  return matchesPath(query === -1 ? url : url.slice(0, query)) !== false;
}
