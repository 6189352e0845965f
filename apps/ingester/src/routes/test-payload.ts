import type { Request, Response } from "express";
import { describeCall } from "../call-preview/describe-call.ts";
import type { IngesterDeps } from "../deps.ts";
import { parseEventOrReject } from "../http/parse-event.ts";

/** POST /webhook/anura/test: validate a payload and say what would happen, creating nothing. */
export function testPayload(deps: IngesterDeps) {
  return async (req: Request, res: Response) => {
    const event = await parseEventOrReject(req.rawBody ?? "", req.headers["content-type"], res, deps.timeZone);
    if (!event) return;
    res.json({ success: true, valid: true, would: await describeCall(deps.db, event, deps.mapping) });
  };
}
