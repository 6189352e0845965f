import type { Request, Response } from "express";
import type { IngesterDeps } from "../deps.ts";

export const SERVICE_NAME = "AuditorIA Anura Integration";

/** Ready only when an event could be queued right now. */
export function health(deps: IngesterDeps) {
  return async (_req: Request, res: Response) => {
    const ready = await Promise.race([
      deps.redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(resolve, 1000, false)),
    ]);
    res.status(ready ? 200 : 503).json({ status: ready ? "ok" : "degraded", service: SERVICE_NAME, webhook_ready: ready });
  };
}
