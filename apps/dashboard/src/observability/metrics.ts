import type { NextFunction, Request, Response } from "express";
import { Counter, type Registry } from "prom-client";

export type DashboardMetrics = ReturnType<typeof createDashboardMetrics>;

/** What the dashboard itself counts, in the app's registry. */
export function createDashboardMetrics(registry: Registry) {
  const loginFailures = new Counter({
    name: "anura_dashboard_login_failures_total",
    help: "Dashboard logins refused for a wrong user name or password",
    registers: [registry],
  });
  const loginLockouts = new Counter({
    name: "anura_dashboard_login_lockouts_total",
    help: "Lockouts started after too many failed logins, by what is locked (address or user)",
    labelNames: ["by"],
    registers: [registry],
  });
  const lockedOutAttempts = new Counter({
    name: "anura_dashboard_login_locked_out_total",
    help: "Login attempts answered 429 during a lockout, their password never checked",
    registers: [registry],
  });
  // The same series the ingester exports, so the AnuraHttp5xx alert covers the dashboard too.
  const requests = new Counter({
    name: "anura_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["route", "status"],
    registers: [registry],
  });
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
