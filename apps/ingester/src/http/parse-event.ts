import type { ServerResponse } from "node:http";
import { type CallEvent, normaliseEvent, parseBody } from "@anura/call-domain";
import { sendJson } from "./send-json.ts";

/** Parse and validate a raw body into an event, answering 400/415/422 itself when it cannot. */
export async function parseEventOrReject(
  raw: string,
  contentType: string | undefined,
  res: ServerResponse,
  timeZone: string,
): Promise<CallEvent | null> {
  const body = await parseBody(raw, contentType);
  if (!body.ok) {
    sendJson(res, body.status, { success: false, error: body.error });
    return null;
  }
  const result = normaliseEvent(body.fields, timeZone);
  if (!result.ok) {
    sendJson(res, 422, {
      success: false,
      error: `invalid event: ${result.issues.map((issue) => `${issue.field} (${issue.message})`).join("; ")}`,
      fields: result.issues,
    });
    return null;
  }
  return result.event;
}
