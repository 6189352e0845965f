import type { IncomingMessage, ServerResponse } from "node:http";
import type { DependencyWatch } from "./dependency-watch.ts";

/** GET /readyz for any app: 200 when every dependency answers, else 503 naming each one down and why. */
export function readinessHandler(watch: Pick<DependencyWatch, "readiness">) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const readiness = watch.readiness();
    res.writeHead(readiness.ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(readiness));
  };
}
