import type { Logger } from "@anura/logger";

/**
 * On SIGTERM/SIGINT run `close` once and exit 0; if it takes longer than the timeout, exit 1
 * (unfinished jobs are then handed back by BullMQ's stalled-job check, never lost).
 */
export function exitOnSignal(log: Logger, timeoutMs: number, close: () => Promise<void>): void {
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

export * from "./dependency-watch.ts";
export { privateNetworkOnly } from "./private-network-only.ts";
export { readinessHandler } from "./readiness.ts";
