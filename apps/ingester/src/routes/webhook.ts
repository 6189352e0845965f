import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { taskIdFor } from "@anura/call-domain";
import type { ApiKeyIdentity } from "../auth/api-key-cache.ts";
import type { IngesterDeps } from "../deps.ts";
import { parseEventOrReject } from "../http/parse-event.ts";
import { webhookRateLimit } from "../http/rate-limits.ts";
import { readBodyText, tooLarge } from "../http/read-raw-body.ts";
import { sendJson } from "../http/send-json.ts";
import { type AcceptedVia, acceptEvent } from "../inbox/accept-event.ts";

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse, apiKey: ApiKeyIdentity) => Promise<void>;

/**
 * POST /webhook/anura/ from an authenticated caller: limit, validate, enqueue, acknowledge.
 * Plain node:http, being the hot path; nothing slow happens here.
 */
export function receiveWebhook(deps: IngesterDeps): WebhookHandler {
  const withinLimit = webhookRateLimit(deps);
  return async (req, res, apiKey) => {
    const allowed = withinLimit(apiKey, res); // a 429 is answered at once; the body is still read off the connection
    const raw = await readBodyText(req);
    if (!allowed) return;
    if (raw === null) return tooLarge(res);
    const event = await parseEventOrReject(raw, req.headers["content-type"], res, deps.timeZone);
    if (!event) return;
    const eventId = randomUUID();
    let via: AcceptedVia;
    try {
      via = await acceptEvent(deps, { eventId, receivedAt: new Date().toISOString(), event });
    } catch (error) {
      deps.log.error({ err: error, callId: event.cdrid }, "event could not be stored anywhere");
      sendJson(
        res,
        503,
        { success: false, error: "queue and database both unavailable: the event was NOT accepted, send it again" },
        { "Retry-After": "10" },
      );
      return;
    }
    deps.metrics.events.inc({ trigger: event.trigger, via });
    deps.activity.count(apiKey.id);
    sendJson(res, 202, {
      success: true,
      message: `Webhook processed successfully: ${event.trigger}`,
      call_id: event.cdrid,
      task_id: taskIdFor(event.cdrid),
      recording_downloaded: false,
      queued: via === "queue",
      accepted_via: via,
      event_id: eventId,
    });
  };
}
