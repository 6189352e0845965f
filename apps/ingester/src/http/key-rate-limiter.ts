import type { Logger } from "@anura/logger";
import type { RedisClient } from "@anura/queue";
import { countRequest } from "./request-counter.ts";

/** How often local counts go to Redis: the webhook path itself sends no Redis command for its limit. */
export const RATE_LIMIT_FLUSH_MS = 200;

interface Window {
  /** Requests every ingester counted in Redis in this window, as of the last flush. */
  shared: number;
  /** Requests this ingester admitted since its last flush. */
  pending: number;
  /** Requests of the flush on its way to Redis: still counted here until Redis' count includes them. */
  sending: number;
  /** When the window ends: Redis' word once flushed, until then a local estimate. */
  endsAt: number;
}

export type LimitAnswer = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed-window limit per key, shared by every ingester through one Redis counter. Requests are
 * counted in memory and added to Redis every RATE_LIMIT_FLUSH_MS, which also reads back what the
 * other ingesters counted. So each ingester may admit up to one flush interval of its own traffic
 * beyond the limit. If Redis cannot count, the limit fails open: unflushed counts are dropped,
 * logged once per outage (an event is worth more than a limit).
 */
export class KeyRateLimiter {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private warned = false;

  private readonly redis: RedisClient;
  private readonly options: { limit: number; windowMs: number; prefix: string; log: Logger; flushMs?: number };

  constructor(redis: RedisClient, options: { limit: number; windowMs: number; prefix: string; log: Logger; flushMs?: number }) {
    this.redis = redis;
    this.options = options;
  }

  /** Count one request for `key`, answering from memory. */
  take(key: string): LimitAnswer {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      // Redis' window ended as well: what other ingesters counted there is gone, and what this one
      // admitted in the old window belongs to it (carried over, it would count against the new one).
      window = { shared: 0, pending: 0, sending: 0, endsAt: now + this.options.windowMs };
      this.windows.set(key, window);
    }
    if (window.shared + window.sending + window.pending >= this.options.limit) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)) };
    }
    window.pending++;
    return { allowed: true };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushMs ?? RATE_LIMIT_FLUSH_MS);
    this.timer.unref();
  }

  /** Stop the timer and send what is still counted only here. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Add each key's pending count to Redis and read back the shared count; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.flushAll().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushAll(): Promise<void> {
    const now = Date.now();
    const failures: unknown[] = [];
    await Promise.all(
      [...this.windows].map(async ([key, window]) => {
        if (window.endsAt <= now && window.pending === 0) {
          this.windows.delete(key); // idle for a whole window
          return;
        }
        window.sending = window.pending;
        window.pending = 0;
        try {
          const count = await countRequest(this.redis, `${this.options.prefix}${key}`, this.options.windowMs, window.sending);
          window.shared = count.hits; // what was admitted meanwhile stays pending, for the next flush
          if (count.resetsInMs >= 0) window.endsAt = Date.now() + count.resetsInMs;
        } catch (error) {
          failures.push(error);
        } finally {
          window.sending = 0;
        }
      }),
    );
    if (failures.length > 0 && !this.warned) {
      this.options.log.warn({ err: failures[0] }, "rate limiter cannot reach Redis: webhook requests pass uncounted");
    }
    this.warned = failures.length > 0;
  }
}
