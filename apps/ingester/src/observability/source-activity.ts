import { type ActivityCount, addSourceActivity, type Db } from "@anura/db";
import type { Logger } from "@anura/logger";

const HOUR_MS = 3_600_000;
/** Past this many pending (key, hour) cells while Postgres refuses them, older hours are dropped. */
const MAX_PENDING = 10_000;

interface Cell {
  events: number;
  lastMs: number;
}

/** hour start (ms) → API key id → what arrived: numeric keys keep a count to a couple of Map lookups. */
type Hours = Map<number, Map<number, Cell>>;

/**
 * Counts accepted events per API key per hour in memory and writes them to Postgres every few
 * seconds, so the webhook pays a Map update, never a round trip, for the silence alarm's history.
 */
export class SourceActivityCounter {
  private pending: Hours = new Map();
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
    let keys = this.pending.get(hourMs);
    if (!keys) {
      keys = new Map();
      this.pending.set(hourMs, keys);
    }
    const cell = keys.get(apiKeyId);
    if (cell) {
      cell.events++;
      cell.lastMs = nowMs;
    } else {
      keys.set(apiKeyId, { events: 1, lastMs: nowMs });
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
    const batch = this.pending;
    this.pending = new Map();
    try {
      await addSourceActivity(this.db, toRows(batch));
      this.warned = false;
    } catch (error) {
      if (!this.warned) this.log.warn({ err: error, hours: batch.size }, "source activity not saved: will retry");
      this.warned = true;
      this.restore(batch);
    }
  }

  /** Put unsaved counts back, merged with what arrived meanwhile, within the memory bound. */
  private restore(batch: Hours): void {
    let cells = [...this.pending.values()].reduce((sum, keys) => sum + keys.size, 0);
    for (const [hourMs, keys] of batch) {
      for (const [apiKeyId, unsaved] of keys) {
        let current = this.pending.get(hourMs);
        const newer = current?.get(apiKeyId);
        if (newer) {
          newer.events += unsaved.events;
          newer.lastMs = Math.max(newer.lastMs, unsaved.lastMs);
        } else if (cells < MAX_PENDING) {
          if (!current) {
            current = new Map();
            this.pending.set(hourMs, current);
          }
          current.set(apiKeyId, unsaved);
          cells++;
        }
      }
    }
  }
}

function toRows(hours: Hours): ActivityCount[] {
  const rows: ActivityCount[] = [];
  for (const [hourMs, keys] of hours) {
    for (const [apiKeyId, cell] of keys) {
      rows.push({ apiKeyId, hour: new Date(hourMs), events: cell.events, lastEventAt: new Date(cell.lastMs) });
    }
  }
  return rows;
}
