import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { sendJson } from "./send-json.ts";

export const MAX_BODY_BYTES = 64 * 1024;

declare global {
  namespace Express {
    interface Request {
      rawBody?: string;
    }
  }
}

/** Reads the body once as text (the template repair needs the raw text); null when it is over 64 KiB. */
export function readBodyText(req: IncomingMessage): Promise<string | null> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (!done) {
        done = true;
        resolve(null);
      }
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      const charset = /charset=([^;]+)/i
        .exec(req.headers["content-type"] ?? "")?.[1]
        ?.trim()
        .toLowerCase();
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks); // a webhook is one chunk: no copy
      resolve(body.toString(charset === "iso-8859-1" || charset === "latin1" ? "latin1" : "utf8"));
    });
    req.on("error", reject);
  });
}

/** The body as `req.rawBody`, for the Express routes; over 64 KiB is a 413. */
export function readRawBody(req: Request, res: Response, next: NextFunction): void {
  readBodyText(req).then((text) => {
    if (text === null) return tooLarge(res);
    req.rawBody = text;
    next();
  }, next);
}

/** Answer and close the connection instead of reading the rest of an oversized body. */
export function tooLarge(res: ServerResponse): void {
  sendJson(
    res,
    413,
    { success: false, error: `body is larger than ${MAX_BODY_BYTES} bytes: send one event per request` },
    {
      Connection: "close",
    },
  );
}
