import { type Db, type HourlyRows, hourlyRows } from "@anura/db";
import type { Logger } from "@anura/logger";
import { last24Hours } from "../charts/hours.ts";

const HOUR = 3_600_000;
/** How often the complete hours are read again: the most their figures (a task's status, a late event) may lag. */
export const COMPLETE_HOURS_REFRESH_MS = 60_000;

interface Snapshot {
  /** Start of the hour that was running when it was read: the first hour it leaves out. */
  until: number;
  readAt: number;
  rows: HourlyRows;
}

/** The 24 hours the overview shows, and their chart rows. */
export interface LastDay {
  now: number;
  hours: number[];
  rows: Promise<HourlyRows>;
}

/**
 * The overview's hourly rows. The complete hours come from a snapshot read in the background every
 * minute, one read however many pages ask; the hours since it (the running one) are read live, so a
 * new event shows at once. Each dashboard keeps its own, so replicas need not agree on anything.
 */
export class HourlyRowsCache {
  #snapshot: Snapshot | undefined;
  #reading: Promise<Snapshot> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #db: Db;
  readonly #log: Logger;
  readonly #refreshMs: number;

  constructor(db: Db, log: Logger, refreshMs = COMPLETE_HOURS_REFRESH_MS) {
    this.#db = db;
    this.#log = log;
    this.#refreshMs = refreshMs;
  }

  /** Read the complete hours now (so the first page need not wait for them) and every refreshMs after. */
  start(): this {
    this.#refreshQuietly();
    this.#timer = setInterval(() => this.#refreshQuietly(), this.#refreshMs);
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

  /** Read the complete hours again; a read already under way is shared, not repeated. */
  refresh(): Promise<Snapshot> {
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #rowsSince(since: number): Promise<HourlyRows> {
    let snapshot = this.#snapshot;
    // None yet (start-up), or refreshes have failed for a while: wait for one rather than show old figures.
    if (!snapshot || Date.now() - snapshot.readAt > 2 * this.#refreshMs) snapshot = await this.refresh();
    const live = await hourlyRows(this.#db, { since: new Date(Math.max(since, snapshot.until)) });
    return {
      events: [...snapshot.rows.events, ...live.events],
      stored: [...snapshot.rows.stored, ...live.stored],
      latency: [...snapshot.rows.latency, ...live.latency],
      tasks: [...snapshot.rows.tasks, ...live.tasks],
    };
  }

  async #read(): Promise<Snapshot> {
    const readAt = Date.now();
    const until = Math.floor(readAt / HOUR) * HOUR;
    const rows = await hourlyRows(this.#db, { since: new Date(until - 23 * HOUR), until: new Date(until) });
    this.#snapshot = { until, readAt, rows };
    return this.#snapshot;
  }

  #refreshQuietly(): void {
    this.refresh().catch((error) => this.#log.warn({ err: error }, "overview charts: complete hours not refreshed"));
  }
}
