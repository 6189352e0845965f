import type { RequestHandler } from "express";
import { Counter, collectDefaultMetrics, Registry } from "prom-client";

export type DashboardMetrics = ReturnType<typeof createDashboardMetrics>;

/** The dashboard's Prometheus registry: process defaults plus what the dashboard itself counts. */
export function createDashboardMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
  return { registry, loginFailures, loginLockouts, lockedOutAttempts };
}

/** GET /metrics in Prometheus's text format. */
export function serveMetrics(registry: Registry): RequestHandler {
  return async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
}
