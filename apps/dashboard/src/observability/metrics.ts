import { httpRequests, seriesIn } from "@anura/lifecycle";
import type { NextFunction, Request, Response } from "express";
import type { Registry } from "prom-client";

export type DashboardMetrics = ReturnType<typeof createDashboardMetrics>;

/** What the dashboard itself counts, in the app's registry. */
export function createDashboardMetrics(registry: Registry) {
  const series = seriesIn(registry);
  const loginFailures = series.counter(
    "anura_dashboard_login_failures_total",
    "Dashboard logins refused for a wrong user name or password",
  );
  const loginLockouts = series.counter(
    "anura_dashboard_login_lockouts_total",
    "Lockouts started after too many failed logins, by what is locked (address or user)",
    ["by"],
  );
  const lockedOutAttempts = series.counter(
    "anura_dashboard_login_locked_out_total",
    "Login attempts answered 429 during a lockout, their password never checked",
  );
  // The same series the ingester exports, so the AnuraHttp5xx alert covers the dashboard too.
  const requests = httpRequests(registry);
  /** Express middleware: every answer, under the route pattern it matched (not its URL, which would explode cardinality). */
  function track(req: Request, res: Response, next: NextFunction) {
    res.once("finish", () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : "unmatched";
      requests.inc({ route, status: String(res.statusCode) });
    });
    next();
  }
  return { registry, loginFailures, loginLockouts, lockedOutAttempts, track };
}
