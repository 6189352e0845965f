import type { Child } from "./processes.ts";

/** The next message a helper child sends over IPC; rejects if it exits or stays silent too long. */
export function nextMessage<T>(child: Child, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = child.process;
    const done = () => {
      clearTimeout(timer);
      proc.off("message", onMessage).off("exit", onExit);
    };
    const onMessage = (message: unknown) => {
      done();
      const error = (message as { error?: string }).error;
      if (error) reject(new Error(`${child.name}: ${error}`));
      else resolve(message as T);
    };
    const onExit = () => {
      done();
      reject(new Error(`${child.name} exited:\n${child.output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${child.name} sent nothing within ${timeoutMs} ms:\n${child.output()}`));
    }, timeoutMs);
    proc.on("message", onMessage).once("exit", onExit);
  });
}

/** Send a request to a helper child and wait for its one reply. */
export function ask<T>(child: Child, message: object, timeoutMs?: number): Promise<T> {
  const reply = nextMessage<T>(child, timeoutMs);
  child.process.send(message);
  return reply;
}

/** In a helper child: stop when the bench goes away, even if it could not signal us. */
export function exitWithParent(cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    cleanup().finally(() => process.exit(0));
  };
  process.on("disconnect", stop);
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
