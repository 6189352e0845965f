import type { TrustProxy } from "@anura/config";
import type { RequestHandler } from "express";
import ipaddr from "ipaddr.js";
import { clientAddress } from "../http/client-address.ts";

const PRIVATE_RANGES = new Set(["loopback", "private", "uniqueLocal"]);

/** Metrics are for the operator's Prometheus, not for the internet the webhook faces. */
export function privateNetworkOnly(trust: TrustProxy): RequestHandler {
  return (req, res, next) => {
    const address = clientAddress(req, trust);
    if (ipaddr.isValid(address) && PRIVATE_RANGES.has(ipaddr.process(address).range())) return next();
    res.status(403).json({ success: false, error: "metrics are only served to loopback and private networks" });
  };
}
