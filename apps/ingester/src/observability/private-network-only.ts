import type { NextFunction, Request, Response } from "express";
import ipaddr from "ipaddr.js";

/** Metrics are for the operator's Prometheus, not for the internet the webhook faces. */
export function privateNetworkOnly(req: Request, res: Response, next: NextFunction): void {
  const address = req.ip ?? "";
  const range = ipaddr.isValid(address) ? ipaddr.process(address).range() : "invalid";
  if (range === "loopback" || range === "private" || range === "uniqueLocal") {
    next();
    return;
  }
  res.status(403).json({ success: false, error: "metrics are only served to loopback and private networks" });
}
