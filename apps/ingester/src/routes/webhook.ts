import { randomUUID } from "node:crypto";
import { taskIdFor } from "@anura/anura";
import { jobIds } from "@anura/queue";
import type { Request, Response } from "express";
import type { IngesterDeps } from "../deps.ts";
import { parseEventOrReject } from "../http/parse-event.ts";

/** POST /webhook/anura/: validate, enqueue, acknowledge. Nothing slow happens here. */
export function receiveWebhook(deps: IngesterDeps) {
  return async (req: Request, res: Response) => {
    const event = await parseEventOrReject(req, res, deps.timeZone);
    if (!event) return;
    const eventId = randomUUID();
    try {
      await deps.queues.enqueue(
        "call.event",
        { eventId, receivedAt: new Date().toISOString(), event },
        { jobId: jobIds.event(eventId) },
      );
    } catch (error) {
      deps.log.error({ err: error, callId: event.cdrid }, "event could not be queued");
      res.setHeader("Retry-After", "5");
      res.status(503).json({ success: false, error: "event queue unavailable: the event was not accepted, retry shortly" });
      return;
    }
    res.status(202).json({
      success: true,
      message: `Webhook processed successfully: ${event.trigger}`,
      call_id: event.cdrid,
      task_id: taskIdFor(event.cdrid),
      recording_downloaded: false,
      queued: true,
      event_id: eventId,
    });
  };
}
