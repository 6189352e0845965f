import { randomUUID } from "node:crypto";
import { taskIdFor } from "@anura/anura";
import type { Request, Response } from "express";
import type { IngesterDeps } from "../deps.ts";
import { parseEventOrReject } from "../http/parse-event.ts";
import { type AcceptedVia, acceptEvent } from "../inbox/accept-event.ts";

/** POST /webhook/anura/: validate, enqueue, acknowledge. Nothing slow happens here. */
export function receiveWebhook(deps: IngesterDeps) {
  return async (req: Request, res: Response) => {
    const event = await parseEventOrReject(req, res, deps.timeZone);
    if (!event) return;
    const eventId = randomUUID();
    let via: AcceptedVia;
    try {
      via = await acceptEvent(deps, { eventId, receivedAt: new Date().toISOString(), event });
    } catch (error) {
      deps.log.error({ err: error, callId: event.cdrid }, "event could not be stored anywhere");
      res.setHeader("Retry-After", "10");
      res
        .status(503)
        .json({ success: false, error: "queue and database both unavailable: the event was NOT accepted, send it again" });
      return;
    }
    deps.metrics.events.inc({ trigger: event.trigger, via });
    res.status(202).json({
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
