import { type ActivityCount, addSourceActivity, type Db } from "@anura/db";
import type { Logger } from "@anura/logger";

const HOUR_MS = 3_600_000;

interface Cell {
  apiKeyId: number;
  hourMs: number;
  events: number;
  lastMs: number;
}

const toRow = (cell: Cell): ActivityCount => ({
  apiKeyId: cell.apiKeyId,
  hour: new Date(cell.hourMs),
  events: cell.events,
  lastEventAt: new Date(cell.lastMs),
});
/** Past this many pending (key, hour) cells while Postgres refuses them, the oldest are dropped. */
const MAX_PENDING = 10_000;

/**
 * Counts accepted events per API key per hour in memory and writes them to Postgres every few
 * seconds, so the webhook pays a Map update, never a round trip, for the silence alarm's history.
 */
export class SourceActivityCounter {
  private pending = new Map<string, Cell>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private warned = false;

  private readonly db: Db;
  private readonly log: Logger;

  constructor(db: Db, log: Logger) {
    this.db = db;
    this.log = log;
  }

  count(apiKeyId: number, nowMs = Date.now()): void {
    const hourMs = nowMs - (nowMs % HOUR_MS);
    const cell = `${apiKeyId}:${hourMs}`;
    const existing = this.pending.get(cell);
    if (existing) {
      existing.events++;
      existing.lastMs = nowMs;
    } else {
      this.pending.set(cell, { apiKeyId, hourMs, events: 1, lastMs: nowMs });
    }
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Write what was counted; on failure the counts are kept for the next flush. One flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await addSourceActivity(this.db, batch.map(toRow));
      this.warned = false;
    } catch (error) {
      if (!this.warned) this.log.warn({ err: error, cells: batch.length }, "source activity not saved: will retry");
      this.warned = true;
      for (const count of batch) this.restore(count);
    }
  }

  private restore(count: Cell): void {
    const cell = `${count.apiKeyId}:${count.hourMs}`;
    const newer = this.pending.get(cell);
    if (newer) {
      newer.events += count.events;
      newer.lastMs = Math.max(newer.lastMs, count.lastMs);
    } else if (this.pending.size < MAX_PENDING) {
      this.pending.set(cell, count);
    }
  }
}
