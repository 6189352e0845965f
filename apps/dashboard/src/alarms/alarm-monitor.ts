import { activeKeysActivity, type Db, pruneSourceActivity, type TranscriptionStall, transcriptionStall } from "@anura/db";
import type { Logger } from "@anura/logger";
import { HISTORY_MS, judgeSilence, type SilenceVerdict } from "./silence.ts";

export interface Alarms {
  evaluatedAt: Date;
  /** One verdict per active API key. */
  sources: SilenceVerdict[];
  stall: TranscriptionStall & { afterSeconds: number };
}

export interface AlarmMonitorOptions {
  db: Db;
  log: Logger;
  silenceAfterSeconds: number;
  stallAfterSeconds: number;
  /** Injectable so tests can check silence without waiting; the real clock otherwise. */
  now?: () => Date;
}

/** Answers within this long of the last evaluation reuse it, so scrapes and page views cost one query set. */
const REUSE_MS = 5000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Evaluates the silence alarm and the transcription stall from Postgres, logs each change once,
 * and keeps a week and a day of activity history. One per dashboard process.
 */
export class AlarmMonitor {
  private last: Alarms | null = null;
  private running: Promise<Alarms> | null = null;
  private silentKeys = new Set<number>();
  private stalled = false;
  private prunedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  private readonly options: AlarmMonitorOptions;
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(options: AlarmMonitorOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.log = options.log.child({ component: "alarms" });
  }

  /** The latest evaluation if recent, else a fresh one; concurrent callers share one. */
  current(): Promise<Alarms> {
    if (this.last && this.now().getTime() - this.last.evaluatedAt.getTime() < REUSE_MS) return Promise.resolve(this.last);
    return this.evaluate();
  }

  /** The last evaluation, whatever its age (null before the first): for scrapes while Postgres is down. */
  lastKnown(): Alarms | null {
    return this.last;
  }

  evaluate(): Promise<Alarms> {
    this.running ??= this.evaluateNow().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Evaluate on a timer too, so a change is logged even when nobody scrapes or looks. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.evaluate().catch((error) => this.log.warn({ err: error }, "alarm evaluation failed"));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async evaluateNow(): Promise<Alarms> {
    const now = this.now();
    const { db, silenceAfterSeconds, stallAfterSeconds } = this.options;
    const [keys, stall] = await Promise.all([
      activeKeysActivity(db, new Date(now.getTime() - HISTORY_MS - 3_600_000)),
      transcriptionStall(db, stallAfterSeconds),
    ]);
    const alarms: Alarms = {
      evaluatedAt: now,
      sources: keys.map((key) => judgeSilence(key, now, silenceAfterSeconds)),
      stall: { ...stall, afterSeconds: stallAfterSeconds },
    };
    this.logChanges(alarms);
    this.last = alarms;
    if (now.getTime() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now.getTime();
      await pruneSourceActivity(db, new Date(now.getTime() - HISTORY_MS - 24 * 3_600_000));
    }
    return alarms;
  }

  private logChanges(alarms: Alarms): void {
    for (const source of alarms.sources) {
      const known = this.silentKeys.has(source.apiKeyId);
      const fields = { keyPrefix: source.keyPrefix, keyName: source.keyName, lastEventAt: source.lastEventAt };
      if (source.silent && !known) {
        this.silentKeys.add(source.apiKeyId);
        this.log.warn(
          { ...fields, expectedEvents: Math.round(source.expectedEvents) },
          "source went silent: check that its Anura template and hooks are active",
        );
      } else if (!source.silent && known) {
        this.silentKeys.delete(source.apiKeyId);
        this.log.info(fields, "source sending again");
      }
    }
    const stalled = alarms.stall.stalled > 0;
    if (stalled !== this.stalled) {
      this.stalled = stalled;
      if (stalled) this.log.warn({ stalled: alarms.stall.stalled }, "transcription stalled: our tasks are left pending");
      else this.log.info("transcription moving again: no task of ours pending too long");
    }
  }
}
