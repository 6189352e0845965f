import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { ApiKeyCache, ApiKeyIdentity } from "./api-key-cache.ts";

declare global {
  namespace Express {
    interface Request {
      apiKey?: ApiKeyIdentity;
    }
  }
}

/** The key from `X-API-Key`, or from `Authorization: Bearer <key>`. */
export function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers["x-api-key"];
  if (typeof header === "string" && header.trim()) return header.trim();
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return bearer?.[1];
}

export function requireApiKey(keys: ApiKeyCache, onFailure?: RequestHandler): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = presentedKey(req);
    const reject = (status: number, error: string) => {
      const respond = () => res.status(status).json({ success: false, error });
      if (onFailure) onFailure(req, res, respond);
      else respond();
    };
    if (!key) return reject(401, "missing API key: send it in the X-API-Key header (or Authorization: Bearer <key>)");
    let identity: ApiKeyIdentity | null;
    try {
      identity = await keys.lookup(key);
    } catch {
      res.setHeader("Retry-After", "5");
      return res.status(503).json({ success: false, error: "cannot verify the API key right now: retry shortly" });
    }
    if (!identity) return reject(403, "API key is unknown or revoked: create one with `pnpm cli api-keys create`");
    req.apiKey = identity;
    next();
  };
}
