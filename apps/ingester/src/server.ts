import { createServer, type IncomingMessage, type Server } from "node:http";
import { createIngesterApp, WEBHOOK_ROUTE } from "./app.ts";
import type { ApiKeyIdentity } from "./auth/api-key-cache.ts";
import { presentedKey } from "./auth/require-api-key.ts";
import type { IngesterDeps } from "./deps.ts";
import { answerError } from "./http/answer-error.ts";
import { receiveWebhook } from "./routes/webhook.ts";

const WEBHOOK_PATHS = new Set(["/webhook/anura", "/webhook/anura/"]);

/**
 * A webhook with a known key goes straight to its handler: Express's plumbing cost more than the
 * work itself (issue #7's profile). Every other request, and every rejected key, goes to Express.
 */
export function createIngesterServer(deps: IngesterDeps): Server {
  const webhook = receiveWebhook(deps);
  const app = createIngesterApp(deps, webhook);
  return createServer((req, res) => {
    if (req.method !== "POST" || !WEBHOOK_PATHS.has(pathOf(req.url ?? ""))) return app(req, res);
    knownCaller(deps, req)
      .then((apiKey) => {
        if (!apiKey) return app(req, res);
        deps.metrics.timeResponse(res, () => WEBHOOK_ROUTE);
        return webhook(req, res, apiKey);
      })
      .catch((error: Error) => answerError(deps.log, res, error));
  });
}

/** The caller's key if it is active; null sends the request to Express, which says what is wrong. */
async function knownCaller(deps: IngesterDeps, req: IncomingMessage): Promise<ApiKeyIdentity | null> {
  const key = presentedKey(req);
  return key ? deps.apiKeys.lookup(key).catch(() => null) : null;
}

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
