import { createLogger, type Logger, type LoggerOptions } from "@anura/logger";

/** What main.ts needs from an app's settings: how to log and how long shutdown may take. */
interface ProcessSettings {
  log: Omit<LoggerOptions, "name">;
  shutdownTimeoutMs: number;
}

/** An app's main.ts, given the settings it parsed: its logger, then start it and stop it on a signal. */
export async function runApp<S extends ProcessSettings>(
  name: string,
  settings: S,
  start: (settings: S, log: Logger) => Promise<{ close(): Promise<void> }>,
): Promise<void> {
  const log = createLogger({ name, ...settings.log });
  const app = await start(settings, log);
  exitOnSignal(log, settings.shutdownTimeoutMs, app.close);
}

/**
 * On SIGTERM/SIGINT run `close` once and exit 0; if it takes longer than the timeout, exit 1
 * (unfinished jobs are then handed back by BullMQ's stalled-job check, never lost).
 */
function exitOnSignal(log: Logger, timeoutMs: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing work in flight");
    setTimeout(() => {
      log.error({ timeoutMs }, "shutdown timed out (SHUTDOWN_TIMEOUT): exiting with work still open");
      process.exit(1);
    }, timeoutMs).unref();
    try {
      await close();
      log.info("stopped cleanly");
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, "error while stopping");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
