import { completeHoursRollup, type Db, type HourlyRollup, type HourlyRows, hourlyRows } from "@anura/db";
import type { Logger } from "@anura/logger";
import { last24Hours } from "../charts/hours.ts";

const HOUR = 3_600_000;
/**
 * The most the complete hours' figures (a task's status, a late event) may lag: each dashboard
 * refreshes every half of it, taking the stored rollup when another read it in the other half.
 */
export const COMPLETE_HOURS_MAX_AGE_MS = 60_000;

/** The 24 hours the overview shows, and their chart rows. */
export interface LastDay {
  now: number;
  hours: number[];
  rows: Promise<HourlyRows>;
}

/**
 * The overview's hourly rows. The complete hours come from a snapshot refreshed in the background,
 * one refresh however many pages ask, and shared with other dashboards through Postgres (the
 * rollup); the hours since it (the running one) are read live, so a new event shows at once.
 */
export class HourlyRowsCache {
  #snapshot: HourlyRollup | undefined;
  /** When this process last got a snapshot, on its own clock (Postgres's may differ). */
  #snapshotTakenAt = 0;
  #reading: Promise<HourlyRollup> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  readonly #db: Db;
  readonly #log: Logger;
  readonly #maxAgeMs: number;

  constructor(db: Db, log: Logger, maxAgeMs = COMPLETE_HOURS_MAX_AGE_MS) {
    this.#db = db;
    this.#log = log;
    this.#maxAgeMs = maxAgeMs;
  }

  /** Refresh the complete hours now (so the first page need not wait for them) and every half maxAgeMs after. */
  start(): this {
    this.#refreshQuietly();
    this.#timer = setInterval(() => this.#refreshQuietly(), this.#maxAgeMs / 2);
    this.#timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#reading?.catch(() => {});
  }

  lastDay(now = Date.now()): LastDay {
    const hours = last24Hours(now);
    return { now, hours, rows: this.#rowsSince(hours[0] ?? now) };
  }

  /** Take the complete hours again (stored, or read anew); a refresh already under way is shared, not repeated. */
  refresh(): Promise<HourlyRollup> {
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #rowsSince(since: number): Promise<HourlyRows> {
    let snapshot = this.#snapshot;
    // None yet (start-up), or refreshes have failed for a while: wait for one rather than show old figures.
    if (!snapshot || Date.now() - this.#snapshotTakenAt > 2 * this.#maxAgeMs) snapshot = await this.refresh();
    const live = await hourlyRows(this.#db, { since: new Date(Math.max(since, snapshot.until.getTime())) });
    return {
      events: [...snapshot.rows.events, ...live.events],
      stored: [...snapshot.rows.stored, ...live.stored],
      latency: [...snapshot.rows.latency, ...live.latency],
      tasks: [...snapshot.rows.tasks, ...live.tasks],
    };
  }

  async #read(): Promise<HourlyRollup> {
    const until = new Date(Math.floor(Date.now() / HOUR) * HOUR);
    this.#snapshot = await completeHoursRollup(this.#db, until, this.#maxAgeMs / 2);
    this.#snapshotTakenAt = Date.now();
    return this.#snapshot;
  }

  #refreshQuietly(): void {
    this.refresh().then(
      () => {
        this.#failing = false;
      },
      (error) => {
        // Once per outage: the dependency watch reports Postgres itself, this would repeat every 30 s.
        this.#log[this.#failing ? "debug" : "warn"]({ err: error }, "overview charts: complete hours not refreshed");
        this.#failing = true;
      },
    );
  }
}
