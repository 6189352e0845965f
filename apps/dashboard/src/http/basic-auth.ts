import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { Credentials } from "../credentials.ts";
import type { DashboardMetrics } from "../observability/metrics.ts";
import type { LoginGuard } from "./login-guard.ts";

const REALM = 'Basic realm="Anura dashboard", charset="UTF-8"';

// Digests have equal length whatever was typed, so timingSafeEqual never throws and leaks no length.
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * HTTP basic auth in front of everything, compared in constant time. A locked-out address or user
 * is answered 429 before the password is even compared, so guessing during a lockout learns nothing.
 */
export function basicAuth(credentials: Credentials, guard: LoginGuard, metrics: DashboardMetrics): RequestHandler {
  const expectedUser = digest(credentials.user);
  const expectedPassword = digest(credentials.password);
  return async (req, res, next) => {
    const given = parseBasicAuth(req.headers.authorization);
    if (!given) return challenge(res); // nothing was tried: a browser's first request, or a script without a login
    const address = req.ip ?? "unknown"; // req.ip follows TRUST_PROXY
    const lockedMs = await guard.lockedForMs(address, given.user);
    if (lockedMs > 0) {
      metrics.lockedOutAttempts.inc();
      const seconds = Math.ceil(lockedMs / 1000);
      res.setHeader("Retry-After", String(seconds));
      res
        .status(429)
        .type("text")
        .send(
          `too many failed logins from this address or for this user: try again in ${seconds} s with DASHBOARD_USER and DASHBOARD_PASSWORD\n`,
        );
      return;
    }
    // Both compared every time so the response time does not tell which one was wrong.
    const userMatches = timingSafeEqual(digest(given.user), expectedUser);
    const passwordMatches = timingSafeEqual(digest(given.password), expectedPassword);
    if (userMatches && passwordMatches) return next();
    await guard.failed(address, given.user);
    challenge(res);
  };
}

function challenge(res: Response): void {
  res.setHeader("WWW-Authenticate", REALM);
  res.status(401).type("text").send("authentication required: sign in with DASHBOARD_USER and DASHBOARD_PASSWORD\n");
}

function parseBasicAuth(header: string | undefined): Credentials | null {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
