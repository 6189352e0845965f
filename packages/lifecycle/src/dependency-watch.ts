import type { Logger } from "@anura/logger";

/** Resolves when the dependency answers; rejects (or times out) when it does not. */
export type DependencyCheck = () => Promise<unknown>;

export interface DependencyStatus {
  up: boolean;
  /** When the dependency last changed state (or the watch began). */
  since: string;
  /** Why it is down: an error code such as ECONNREFUSED, or a short message. */
  reason?: string;
}

export interface Readiness {
  ready: boolean;
  dependencies: Record<string, DependencyStatus>;
  /** Present when not ready: which dependency is down, why, and that it is being retried. */
  error?: string;
}

export interface WatchOptions {
  /** Pause between checks of a dependency that answers. */
  upIntervalMs?: number;
  /** First retry after a failure; each further failure doubles it, up to maxRetryMs. */
  minRetryMs?: number;
  maxRetryMs?: number;
  /** A check that has not answered by then counts as a failure (a black-holed host never refuses). */
  timeoutMs?: number;
}

export type DependencyWatch = ReturnType<typeof watchDependencies>;

/**
 * Checks each dependency on its own schedule (backing off while it is down) and logs one line per
 * change of its state, never one per failed attempt; readiness reads the last known states.
 */
export function watchDependencies(log: Logger, checks: Record<string, DependencyCheck>, options: WatchOptions = {}) {
  const upIntervalMs = options.upIntervalMs ?? 5000;
  const minRetryMs = options.minRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 2000;
  const timeoutMs = options.timeoutMs ?? 3000;
  const started = new Date().toISOString();
  const states = new Map<string, DependencyStatus & { known: boolean }>();
  const waiters = new Set<() => void>();
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  function record(name: string, up: boolean, reason?: string) {
    const previous = states.get(name);
    if (previous?.known && previous.up === up) {
      if (!up) previous.reason = reason;
      return;
    }
    const now = new Date();
    states.set(name, { up, since: now.toISOString(), reason: up ? undefined : reason, known: true });
    const downForSeconds = previous?.known ? Math.round((now.getTime() - Date.parse(previous.since)) / 100) / 10 : undefined;
    if (up) log.info({ dependency: name, downForSeconds }, "dependency reachable");
    else log.warn({ dependency: name, reason }, "dependency unreachable: retrying with backoff until it answers");
    for (const wake of waiters) wake();
  }

  async function probe(name: string, failures: number) {
    let next: number;
    try {
      await withTimeout(checks[name] as DependencyCheck, timeoutMs);
      record(name, true);
      next = upIntervalMs;
      failures = 0;
    } catch (error) {
      record(name, false, describe(error));
      next = Math.min(maxRetryMs, minRetryMs * 2 ** failures);
      failures++;
    }
    if (stopped) return;
    const timer = setTimeout(() => void probe(name, failures), next);
    timer.unref();
    timers.set(name, timer);
  }

  for (const name of Object.keys(checks)) {
    states.set(name, { up: false, since: started, reason: "not checked yet", known: false });
    void probe(name, 0);
  }

  const isUp = (name: string) => states.get(name)?.up === true;

  return {
    isUp,
    /** The state of every dependency, for /readyz. */
    readiness(): Readiness {
      const dependencies: Record<string, DependencyStatus> = {};
      for (const [name, { up, since, reason }] of states) dependencies[name] = reason ? { up, since, reason } : { up, since };
      const down = Object.entries(dependencies).filter(([, status]) => !status.up);
      if (down.length === 0) return { ready: true, dependencies };
      const what = down.map(([name, status]) => `${name} unreachable since ${status.since} (${status.reason})`).join("; ");
      return { ready: false, dependencies, error: `not ready: ${what}; retrying until it answers` };
    },
    /** Resolves once all the named dependencies have answered (at the same time), or the watch stops. */
    whenUp(names: string[]): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (stopped || names.every(isUp)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      });
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      for (const wake of waiters) wake();
    },
  };
}

async function withTimeout(check: DependencyCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      timeoutMs,
    );
  });
  try {
    await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A short, address-free reason: a system error code (ECONNREFUSED), else the code and the message's first line. */
function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  const text = (typeof message === "string" && message.length > 0 ? message : String(error)).split("\n")[0] ?? "";
  return (typeof code === "string" && code.length > 0 ? `${code}: ${text}` : text).slice(0, 160);
}
