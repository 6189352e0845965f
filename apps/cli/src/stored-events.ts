import type { DbHandle } from "@anura/db";
import { parseJobData, type Queues } from "@anura/queue";

/** An anura_events row as selected by the commands that re-drive calls. */
export interface StoredEvent {
  id: string;
  cdrid: string;
  trigger: string;
  /** ISO 8601 in UTC, as the call.event job schema wants it. */
  received_at: string;
  payload: unknown;
}

// Formatted in SQL: the driver hands timestamps back as Postgres text once drizzle has configured it.
export const eventColumns = (sql: DbHandle["sql"]) =>
  sql`id, cdrid, trigger, to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as received_at, payload`;

/** The most recent event of each call; the worker re-folds all of a call's events from any one of them. */
export function latestEventPerCall(sql: DbHandle["sql"], cdrids: string[]) {
  return sql<StoredEvent[]>`
    select distinct on (cdrid) ${eventColumns(sql)}
    from anura_events where cdrid = any(${cdrids})
    order by anura_events.cdrid, anura_events.received_at desc, anura_events.id desc`;
}

/**
 * Queue a stored event again as `call.event`. The id is fresh so BullMQ does not drop it as a duplicate
 * of the original job; the worker is idempotent (event insert ON CONFLICT DO NOTHING, call re-folded).
 */
export async function requeueEvent(queues: Queues, event: StoredEvent, purpose: "remap" | "replay"): Promise<void> {
  // A stored payload is checked like any job's: one that no longer fits the schema is refused, not queued.
  const job = parseJobData("call.event", { eventId: event.id, receivedAt: event.received_at, event: event.payload });
  await queues.enqueue("call.event", job, { jobId: `${purpose}-${event.id}-${Date.now()}` });
}
