import type { ServerResponse } from "node:http";
import type { Logger } from "@anura/logger";
import { sendJson } from "./send-json.ts";

/** The answer to an error no handler expected: its status if it is a client error, else 503 to retry. */
export function answerError(log: Logger, res: ServerResponse, error: { status?: unknown; message?: string }): void {
  const status = typeof error.status === "number" && error.status < 500 ? error.status : 503;
  if (status >= 500) log.error({ err: error }, "request failed");
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  if (status < 500) {
    sendJson(res, status, { success: false, error: error.message });
    return;
  }
  sendJson(res, status, { success: false, error: "temporarily unavailable: retry shortly" }, { "Retry-After": "5" });
}
