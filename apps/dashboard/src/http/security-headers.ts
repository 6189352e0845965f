import type { RequestHandler } from "express";

/** Headers for every response: no framing (clickjacking), no MIME sniffing, Referer kept same-origin. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  next();
};

/** The overview page has no scripts at all; only its own inline styles and same-origin forms. */
export const OVERVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
