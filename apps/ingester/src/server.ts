import type { IncomingMessage, RequestListener } from "node:http";
import { createIngesterApp } from "./app.ts";
import type { ApiKeyIdentity } from "./auth/api-key-cache.ts";
import { presentedKey } from "./auth/require-api-key.ts";
import type { IngesterDeps } from "./deps.ts";
import { answerError } from "./http/answer-error.ts";
import { receiveWebhook } from "./routes/webhook.ts";
import { isWebhookRequest, WEBHOOK_ROUTE } from "./routes/webhook-route.ts";

/**
 * A webhook with a known key goes straight to its handler: Express's plumbing cost more than the
 * work itself (issue #7's profile). Every other request, and every rejected key, goes to Express.
 * Express middleware never sees the fast path: whatever every webhook needs belongs in the handler
 * both paths share (routes/webhook.ts), and a per-address decision must use deps.trustProxy.
 */
export function ingesterRequestListener(deps: IngesterDeps): RequestListener {
  const webhook = receiveWebhook(deps);
  const app = createIngesterApp(deps, webhook);
  return (req, res) => {
    if (!isWebhookRequest(req)) return app(req, res);
    knownCaller(deps, req)
      .then((apiKey) => {
        if (!apiKey) return app(req, res);
        deps.metrics.timeResponse(res, () => WEBHOOK_ROUTE.path);
        return webhook(req, res, apiKey);
      })
      .catch((error: Error) => answerError(deps.log, res, error));
  };
}

/** The caller's key if it is active; null sends the request to Express, which says what is wrong. */
async function knownCaller(deps: IngesterDeps, req: IncomingMessage): Promise<ApiKeyIdentity | null> {
  const key = presentedKey(req);
  return key ? deps.apiKeys.lookup(key).catch(() => null) : null;
}
