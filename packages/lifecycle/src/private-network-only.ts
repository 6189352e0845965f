import type { IncomingMessage, ServerResponse } from "node:http";
import ipaddr from "ipaddr.js";

const PRIVATE_RANGES = new Set(["loopback", "private", "uniqueLocal"]);

/**
 * The /metrics guard for any app: metrics are for the operator's Prometheus, not for the internet the
 * webhook faces. `addressOf` is the app's own reading of the client under TRUST_PROXY, so a forged header cannot pass.
 */
export function privateNetworkOnly<R extends IncomingMessage>(addressOf: (req: R) => string) {
  return (req: R, res: ServerResponse, next: () => void) => {
    const address = addressOf(req);
    if (ipaddr.isValid(address) && PRIVATE_RANGES.has(ipaddr.process(address).range())) return next();
    res.writeHead(403, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ success: false, error: "metrics are only served to loopback and private networks" }));
  };
}
