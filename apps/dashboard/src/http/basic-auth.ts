import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import type { Credentials } from "../credentials.ts";

const REALM = 'Basic realm="Anura dashboard", charset="UTF-8"';

// Digests have equal length whatever was typed, so timingSafeEqual never throws and leaks no length.
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** HTTP basic auth in front of everything, compared in constant time. */
export function basicAuth(credentials: Credentials): RequestHandler {
  const expectedUser = digest(credentials.user);
  const expectedPassword = digest(credentials.password);
  return (req, res, next) => {
    const given = parseBasicAuth(req.headers.authorization);
    // Both compared every time so the response time does not tell which one was wrong.
    const userMatches = timingSafeEqual(digest(given?.user ?? ""), expectedUser);
    const passwordMatches = timingSafeEqual(digest(given?.password ?? ""), expectedPassword);
    if (given && userMatches && passwordMatches) return next();
    res.setHeader("WWW-Authenticate", REALM);
    res.status(401).type("text").send("authentication required: sign in with DASHBOARD_USER and DASHBOARD_PASSWORD\n");
  };
}

function parseBasicAuth(header: string | undefined): Credentials | null {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
