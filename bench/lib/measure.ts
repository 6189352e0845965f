import type { RunningApp, Services } from "./apps.ts";
import type { Row } from "./table.ts";
import type { TaskWatch } from "./tasks.ts";

/** What every measure gets: the services, the running ingester, and the time it may still use. */
export interface Context {
  services: Services;
  ingester: RunningApp;
  tasks: TaskWatch;
  /** performance.now() past which a measure must wrap up (it shortens what it can, and says so). */
  deadline: number;
  log(message: string): void;
}

export interface MeasureResult {
  rows: Row[];
  rounds: unknown[];
  /** Facts later measures build on (e.g. the pipeline's CPU figures for the cost per call). */
  facts?: Record<string, unknown>;
}

/** POST one webhook to the ingester; throws unless it answers 202, returns the event id it assigned. */
export async function postWebhook(ctx: Context, body: string): Promise<string> {
  const res = await fetch(ctx.ingester.url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", "x-api-key": ctx.services.database.apiKey },
  });
  const answer = (await res.json().catch(() => ({}))) as { event_id?: string };
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(answer)}`);
  return answer.event_id ?? "";
}

/** Run `task` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** A table row for a latency figure: measured against a goal, not a baseline. */
export function latencyRow(measure: string, project: number, goal: string, pass: boolean | null, note?: string) {
  return { measure, unit: "ms", project, baseline: null, ratio: null, goal, pass, note };
}
