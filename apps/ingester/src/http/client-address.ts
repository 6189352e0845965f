import type { IncomingMessage } from "node:http";
import type { TrustProxy } from "@anura/config";
import proxyAddr from "proxy-addr";

/**
 * The client's address under TRUST_PROXY: the one rule for every per-address decision, on the
 * Express routes and on the webhook's node:http fast path alike (Express's req.ip uses the same rule).
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyAddr(req, trust);
}
