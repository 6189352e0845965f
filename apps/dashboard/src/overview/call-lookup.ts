import { cdrEventIdFor, taskIdFor } from "@anura/call-domain";
import { type Db, eventsForCall, findCall, findCallLog, findTask } from "@anura/db";
import type { Queues } from "@anura/queue";
import { type FetchProgress, fetchProgress } from "./fetch-progress.ts";
import type { Section } from "./layout.ts";

export type CallLookup = Awaited<ReturnType<typeof lookUpCall>>;

/** Everything known about one call: its events and rows in Postgres, its download in Redis, AuditorIA's task. */
export async function lookUpCall(db: Db, queues: Queues, cdrid: string) {
  const [events, call, callLog, task, fetch] = await Promise.all([
    eventsForCall(db, cdrid),
    findCall(db, cdrid),
    findCallLog(db, cdrid),
    findTask(db, taskIdFor(cdrid)),
    readFetch(queues, cdrid),
  ]);
  return {
    cdrid,
    events: events.map((event) => ({
      id: event.id,
      trigger: event.trigger,
      receivedAt: event.receivedAt,
      // Made by reconciliation from Anura's CDR list (only it uses this id), not sent by Anura as a webhook.
      fromCdr: event.id === cdrEventIdFor(cdrid),
      recordingUnavailable: textOrNull(event.payload.extra?.recording_unavailable),
    })),
    call,
    callLog,
    task,
    fetch,
  };
}

// Redis being down blanks only the download's step; the rest of the story is in Postgres.
async function readFetch(queues: Queues, cdrid: string): Promise<Section<FetchProgress | null>> {
  try {
    return { ok: true, value: await fetchProgress(queues, cdrid) };
  } catch {
    return { ok: false, problem: "Download status unknown: Redis is unavailable (check REDIS_URL and QUEUE_PREFIX)." };
  }
}

const textOrNull = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
