import type { Db } from "../client.ts";

// Reconciliation with Anura's CDR list: its stored windows, and what it asks of the calls we hold.
// Times go in and come out as ISO text: drizzle's driver setup leaves postgres.js's date parsers out.

const at = (text: string | null | undefined) => (text ? new Date(text) : null);

export type CdrWindowKind = "poll" | "backfill";

export interface CdrWindowCounts {
  listed: number;
  confirmed: number;
  recovered: number;
  failed: number;
}

/**
 * Where the next poll window starts from: the stored end of the last poll window checked to the end
 * (the latest one, not the furthest: a window holding for a long call may end before the one before it), or null before the first.
 */
export async function lastReconciledEnd(db: Db): Promise<Date | null> {
  const [row] = await db.$client<{ endsAt: string | null }[]>`
    select ends_at::text as "endsAt" from anura_cdr_windows where kind = 'poll' and status = 'done'
    order by id desc limit 1`;
  return at(row?.endsAt);
}

/**
 * Records a window as running and returns its id. A poll window left running by a stopped worker
 * is marked interrupted: one reconciler runs at a time, so no other can still be at work on it.
 */
export async function openCdrWindow(db: Db, window: { kind: CdrWindowKind; startsAt: Date; endsAt: Date }): Promise<number> {
  const sql = db.$client;
  if (window.kind === "poll") {
    await sql`update anura_cdr_windows set status = 'interrupted', finished_at = now() where kind = 'poll' and status = 'running'`;
  }
  const [row] = await sql<{ id: number }[]>`
    insert into anura_cdr_windows (kind, starts_at, ends_at) values (${window.kind}, ${window.startsAt.toISOString()}::timestamptz, ${window.endsAt.toISOString()}::timestamptz) returning id`;
  return (row as { id: number }).id;
}

export async function closeCdrWindow(
  db: Db,
  id: number,
  outcome: { status: "done" | "failed"; counts: CdrWindowCounts; error?: string; endsAt?: Date },
): Promise<void> {
  const { listed, confirmed, recovered, failed } = outcome.counts;
  // endsAt: checked only this far, where a CDR was left for the next window.
  const endsAt = outcome.endsAt?.toISOString() ?? null;
  await db.$client`
    update anura_cdr_windows set status = ${outcome.status}, listed = ${listed}, confirmed = ${confirmed},
      recovered = ${recovered}, failed = ${failed}, error = ${outcome.error ?? null}, finished_at = now(),
      ends_at = coalesce(${endsAt}::timestamptz, ends_at)
    where id = ${id}`;
}

/** Of these cdrids, the calls we hold and whether their END has been merged: one statement per batch. */
export async function callsKnownOf(db: Db, cdrids: string[]): Promise<Map<string, { ended: boolean }>> {
  if (cdrids.length === 0) return new Map();
  const rows = await db.$client<{ cdrid: string; ended: boolean }[]>`
    select cdrid, coalesce((state->>'ended')::boolean, false) as ended from anura_calls where cdrid = any(${cdrids}::text[])`;
  return new Map(rows.map((row) => [row.cdrid, { ended: row.ended }]));
}

export interface ReconciliationStatus {
  /** End of the last poll window checked to the end. */
  reconciledUntil: Date | null;
  /** When that window finished. */
  lastSuccessAt: Date | null;
  /** Calls created from the CDR list in the last hour, per Anura account ('unknown' when the CDR named none). */
  recoveredLastHour: { account: string; calls: number }[];
}

/** What the alert gauges read. */
export async function reconciliationStatus(db: Db): Promise<ReconciliationStatus> {
  const sql = db.$client;
  const [last] = await sql<{ endsAt: string; finishedAt: string | null }[]>`
    select ends_at::text as "endsAt", finished_at::text as "finishedAt" from anura_cdr_windows
    where kind = 'poll' and status = 'done' order by ends_at desc limit 1`;
  const recovered = await sql<{ account: string; calls: number }[]>`
    select coalesce(e.payload->'extra'->>'accountname', 'unknown') as account, count(distinct c.cdrid)::int as calls
    from anura_calls c join anura_events e on e.cdrid = c.cdrid and e.payload->'extra'->>'source' = 'cdr'
    where c.source = 'cdr' and c.created_at > now() - interval '1 hour'
    group by 1`;
  return { reconciledUntil: at(last?.endsAt), lastSuccessAt: at(last?.finishedAt), recoveredLastHour: [...recovered] };
}

/** Calls recovered from the CDR list per hour since `since` (hour start → count), for the overview. */
export async function recoveredCallsPerHour(db: Db, since: Date): Promise<Map<string, number>> {
  const rows = await db.$client<{ hour: string; calls: number }[]>`
    select date_trunc('hour', created_at)::text as hour, count(*)::int as calls from anura_calls
    where source = 'cdr' and created_at >= ${since.toISOString()}::timestamptz group by 1`;
  return new Map(rows.map((row) => [new Date(row.hour).toISOString(), row.calls]));
}
