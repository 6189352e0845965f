import { type CallEvent, normaliseEvent, parseBody } from "@anura/anura";
import type { Request, Response } from "express";

/** Parse and validate the request's event, answering 400/415/422 itself when it cannot. */
export async function parseEventOrReject(req: Request, res: Response, timeZone: string): Promise<CallEvent | null> {
  const body = await parseBody(req.rawBody ?? "", req.headers["content-type"]);
  if (!body.ok) {
    res.status(body.status).json({ success: false, error: body.error });
    return null;
  }
  const result = normaliseEvent(body.fields, timeZone);
  if (!result.ok) {
    res.status(422).json({
      success: false,
      error: `invalid event: ${result.issues.map((issue) => `${issue.field} (${issue.message})`).join("; ")}`,
      fields: result.issues,
    });
    return null;
  }
  return result.event;
}
