import { type Db, latestEventPerCall, unmappedCalls } from "@anura/db";
import type { Queues } from "./queues.ts";
import { requeueEvent } from "./requeue-event.ts";

const LOOKUP_CHUNK = 500;

export interface RemapOutcome {
  /** Unmapped calls without a task that were found (at most the limit). */
  found: number;
  /** How many lacked what: "campaign", "operator" or both. */
  reasons: Map<string, number>;
  /** Calls whose latest event was queued again for the worker to re-map. */
  redriven: number;
}

/**
 * Map again every unmapped call without a task (e.g. after creating the campaign it was missing): its
 * latest stored event goes through `call.event` again and the worker maps it with the campaigns that exist now.
 */
export async function remapUnmappedCalls(db: Db, queues: Queues, limit: number): Promise<RemapOutcome> {
  const calls = await unmappedCalls(db, limit);
  const reasons = new Map<string, number>();
  for (const call of calls)
    reasons.set(call.unmappedReason ?? "unknown", (reasons.get(call.unmappedReason ?? "unknown") ?? 0) + 1);
  let redriven = 0;
  for (let start = 0; start < calls.length; start += LOOKUP_CHUNK) {
    const events = await latestEventPerCall(
      db,
      calls.slice(start, start + LOOKUP_CHUNK).map((call) => call.cdrid),
    );
    await Promise.all(events.map((event) => requeueEvent(queues, event, "remap")));
    redriven += events.length;
  }
  return { found: calls.length, reasons, redriven };
}
