import type { StoredCall } from "@anura/db";

/** Enough for the calls in flight on one worker, a few MB at most. */
const REMEMBERED_CALLS = 2000;

export type RecentCalls = ReturnType<typeof createRecentCalls>;

/**
 * The calls this worker saved last, as it saved them: the guess an event is merged into, which saves
 * reading the call first. A save lands only on the version it names, so a call changed elsewhere since
 * costs one statement more, never a lost field.
 */
export function createRecentCalls(capacity = REMEMBERED_CALLS) {
  const calls = new Map<string, StoredCall>();
  return {
    guess: (cdrid: string) => calls.get(cdrid) ?? null,
    remember(call: StoredCall) {
      if ((calls.get(call.cdrid)?.version ?? 0) > call.version) return; // a concurrent job saved a later one
      calls.delete(call.cdrid); // re-inserted last: the Map's order is the eviction order
      calls.set(call.cdrid, call);
      if (calls.size > capacity) calls.delete(calls.keys().next().value as string);
    },
  };
}
