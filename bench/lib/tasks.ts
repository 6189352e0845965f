import type { BenchDatabase } from "./database.ts";

/** Remembers when each task row appeared (performance.now() at its commit notification). */
export class TaskWatch {
  private readonly seen = new Map<string, number>();

  constructor(database: BenchDatabase) {
    database.onTask((callId, at) => {
      if (!this.seen.has(callId)) this.seen.set(callId, at);
    });
  }

  seenAt(callId: string): number | undefined {
    return this.seen.get(callId);
  }

  /** Wait until every call has its task row; throws with how many are missing past the timeout. */
  async waitFor(callIds: string[], timeoutMs: number): Promise<number[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const missing = callIds.filter((id) => !this.seen.has(id));
      if (missing.length === 0) return callIds.map((id) => this.seen.get(id) as number);
      if (performance.now() > deadline) {
        throw new Error(`${missing.length} of ${callIds.length} task rows did not appear within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
