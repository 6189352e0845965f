import type { RequestHandler } from "express";
import ipaddr from "ipaddr.js";

const PRIVATE_RANGES = new Set(["loopback", "private", "uniqueLocal"]);

/** Metrics are for the operator's Prometheus; req.ip follows TRUST_PROXY, so a forged header cannot pass. */
export const privateNetworkOnly: RequestHandler = (req, res, next) => {
  const address = req.ip ?? "";
  if (ipaddr.isValid(address) && PRIVATE_RANGES.has(ipaddr.process(address).range())) return next();
  res.status(403).json({ error: "metrics are only served to loopback and private networks" });
};
