import { createHash } from "node:crypto";
import type { Logger } from "@anura/logger";
import type { RedisClient } from "@anura/queue";
import type { DashboardMetrics } from "../observability/metrics.ts";

export interface LoginLimit {
  /** Failed logins allowed per client address and per user name within the window. */
  attempts: number;
  windowMs: number;
  /** Redis key prefix (QUEUE_PREFIX), so every dashboard process shares the counts. */
  prefix: string;
}

export type LoginGuard = ReturnType<typeof createLoginGuard>;

type Subject = { by: "address" | "user"; key: string };

/**
 * Counts failed dashboard logins in Redis per client address and per user name, so guessing is
 * stopped whichever of the two an attacker varies. Fails open (logged once per outage): a Redis
 * outage must not lock the operator out of the dashboard they need to see it.
 */
export function createLoginGuard(redis: RedisClient, limit: LoginLimit, metrics: DashboardMetrics, log: Logger) {
  const base = `${limit.prefix}:dashboard:login-failures`;
  // The user name is hashed: whatever someone types there must not sit in Redis in clear.
  const subjects = (address: string, user: string): Subject[] => [
    { by: "address", key: `${base}:address:${address}` },
    { by: "user", key: `${base}:user:${createHash("sha256").update(user).digest("hex").slice(0, 32)}` },
  ];
  let redisDown = false;
  const unavailable = (error: unknown) => {
    if (!redisDown) log.warn({ err: error }, "cannot count failed logins (Redis unavailable): logins are not rate limited");
    redisDown = true;
  };

  return {
    /** Milliseconds until this address and user may try again; 0 when neither is locked out. */
    async lockedForMs(address: string, user: string): Promise<number> {
      try {
        const pipeline = redis.pipeline();
        for (const subject of subjects(address, user)) pipeline.get(subject.key).pttl(subject.key);
        const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
          if (error) throw error;
          return Number(value ?? 0);
        });
        redisDown = false;
        let waitMs = 0;
        for (let i = 0; i < replies.length; i += 2) {
          if ((replies[i] as number) >= limit.attempts) waitMs = Math.max(waitMs, replies[i + 1] as number, 1000);
        }
        return waitMs;
      } catch (error) {
        unavailable(error);
        return 0;
      }
    },

    /** Count a failed login; the attempt that reaches the limit starts a lockout, logged once. */
    async failed(address: string, user: string): Promise<void> {
      metrics.loginFailures.inc();
      try {
        const pipeline = redis.pipeline();
        const list = subjects(address, user);
        for (const subject of list) pipeline.set(subject.key, 0, "PX", limit.windowMs, "NX").incr(subject.key);
        const replies = (await pipeline.exec()) ?? [];
        list.forEach((subject, i) => {
          const [error, count] = replies[i * 2 + 1] ?? [];
          if (error) throw error;
          if (count !== limit.attempts) return;
          metrics.loginLockouts.inc({ by: subject.by });
          log.warn(
            { by: subject.by, address, attempts: limit.attempts, lockedForSeconds: Math.round(limit.windowMs / 1000) },
            "dashboard login locked out after too many failed logins",
          );
        });
        redisDown = false;
      } catch (error) {
        unavailable(error);
      }
    },
  };
}
