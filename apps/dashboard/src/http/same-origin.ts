import type { RequestHandler } from "express";

const STATE_CHANGING = new Set(["POST", "PUT", "DELETE", "PATCH"]);

/**
 * CSRF guard: a browser sends the saved basic-auth login with any site's request, so a
 * state-changing request must come from a page of this dashboard (same host).
 */
export const sameOriginOnly: RequestHandler = (req, res, next) => {
  if (!STATE_CHANGING.has(req.method)) return next();
  if (req.headers["sec-fetch-site"] === "cross-site") return refuse(res, "Sec-Fetch-Site is cross-site");
  const source = req.headers.origin ?? req.headers.referer;
  if (source === undefined) return next(); // not a browser (curl, scripts): basic auth alone applies
  const host = req.headers.host?.toLowerCase();
  const sourceHost = hostOf(source);
  if (sourceHost === null || sourceHost !== host) {
    return refuse(
      res,
      `${req.headers.origin ? "Origin" : "Referer"} host ${sourceHost ?? "(unreadable)"} is not ${host ?? "(no Host header)"}`,
    );
  }
  next();
};

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase() || null;
  } catch {
    return null; // includes the opaque origin "null"
  }
}

function refuse(res: Parameters<RequestHandler>[1], why: string) {
  res.status(403).json({
    error: `cross-site request refused (${why}): change queues from this dashboard's own pages, or from a script without Origin/Referer headers`,
  });
}
