import type { NextFunction, Request, Response } from "express";

export const MAX_BODY_BYTES = 64 * 1024;

declare global {
  namespace Express {
    interface Request {
      rawBody?: string;
    }
  }
}

/** Reads the body once as text (the template repair needs the raw text); over 64 KiB is a 413. */
export function readRawBody(req: Request, res: Response, next: NextFunction): void {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    tooLarge(res);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES && !failed) {
      failed = true;
      tooLarge(res);
    }
    if (!failed) chunks.push(chunk);
  });
  req.on("end", () => {
    if (failed) return;
    const charset = /charset=([^;]+)/i
      .exec(req.headers["content-type"] ?? "")?.[1]
      ?.trim()
      .toLowerCase();
    req.rawBody = Buffer.concat(chunks).toString(charset === "iso-8859-1" || charset === "latin1" ? "latin1" : "utf8");
    next();
  });
  req.on("error", () => {
    failed = true;
  });
}

/** Answer and close the connection instead of reading the rest of an oversized body. */
function tooLarge(res: Response): void {
  res.setHeader("Connection", "close");
  res.status(413).json({ success: false, error: `body is larger than ${MAX_BODY_BYTES} bytes: send one event per request` });
}
