import { randomInt } from "node:crypto";
import type { DashboardSettings } from "@anura/config";
import type { Logger } from "@anura/logger";

export interface Credentials {
  user: string;
  password: string;
}

// Letters only: the logger scrubs digit runs that look like phone numbers from messages.
const LETTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

/** The login for the whole dashboard; a throwaway one in development, never a default in production. */
export function resolveCredentials(login: DashboardSettings["login"], production: boolean, log: Logger): Credentials {
  const { user, password } = login;
  if (user && password) return { user, password };
  if (user || password) {
    throw new Error("set both DASHBOARD_USER and DASHBOARD_PASSWORD (or, in development only, neither)");
  }
  if (production) {
    throw new Error(
      "DASHBOARD_USER and DASHBOARD_PASSWORD are required when NODE_ENV=production: set both (password of 8+ characters) so the queues are not open to anyone",
    );
  }
  const generated = Array.from({ length: 24 }, () => LETTERS[randomInt(LETTERS.length)]).join("");
  log.warn(
    `!!! DASHBOARD_USER/DASHBOARD_PASSWORD are unset: development login is admin / ${generated} ` +
      "(a new password on every start; set both in .env to choose your own)",
  );
  return { user: "admin", password: generated };
}
