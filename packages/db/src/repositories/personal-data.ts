import type { Db, DbOrTx } from "../client.ts";
import { sql } from "../drizzle.ts";

// What counts as personal lives in one SQL function (migration 0006, anura_scrub_personal): phone
// numbers (calling, called, aniTel) become null, queueagentname keeps only its first number (the
// operator id the mapping reads), and `extra` (callingname, calledname, custom1..6, ...) is emptied.
// Triggers keep a scrubbed call scrubbed whatever writes to it later.

/** Calls scrubbed per transaction: short transactions, so the worker's per-call locks wait little. */
const BATCH = 200;

/**
 * Scrub every call first stored more than `olderThanDays` days ago and not scrubbed yet.
 * cdrid, triggers, times, mapping, recording and task stay. Returns how many calls were scrubbed.
 */
export async function scrubCallsOlderThan(db: Db, olderThanDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const picked = await db.execute<{ cdrid: string }>(sql`
      select cdrid from anura_calls
      where scrubbed_at is null and created_at < now() - ${olderThanDays}::float8 * interval '1 day'
      order by created_at limit ${BATCH}`);
    const cdrids = picked.map((row) => row.cdrid);
    if (cdrids.length === 0) return total;
    total += await db.transaction((tx) => scrubLocked(tx, cdrids));
    if (cdrids.length < BATCH) return total;
  }
}

export interface ForgetOutcome {
  /** The call was in anura_calls and is now marked scrubbed (false: no such call, or already scrubbed). */
  callScrubbed: boolean;
  /** Its stored events whose payload was scrubbed. */
  events: number;
  /** Events still waiting in the Postgres inbox (Redis was down when they came) whose copy was scrubbed. */
  inboxRows: number;
  /** Ids of the events stored for the call: their call.event jobs in Redis carry a copy too. */
  eventIds: string[];
}

/** Scrub one call now, whatever its age (a person's request), including inbox copies. */
export async function forgetCall(db: Db, cdrid: string): Promise<ForgetOutcome> {
  return db.transaction(async (tx) => {
    const callScrubbed = (await scrubLocked(tx, [cdrid])) > 0;
    const events = await tx.execute<{ id: string }>(sql`
      update anura_events set payload = anura_scrub_personal(payload) where cdrid = ${cdrid} returning id`);
    const inbox = await tx.execute<{ id: string }>(sql`
      update webhook_inbox set job = job || jsonb_build_object('event', anura_scrub_personal(job->'event'))
      where job->'event'->>'cdrid' = ${cdrid} returning id`);
    return { callScrubbed, events: events.length, inboxRows: inbox.length, eventIds: events.map((row) => row.id) };
  });
}

/** A call.event job's event with the personal fields removed, by the same rules as the database. */
export async function scrubEventCopy(db: DbOrTx, event: unknown): Promise<Record<string, unknown>> {
  const [row] = await db.execute<{ event: Record<string, unknown> }>(
    sql`select anura_scrub_personal(${JSON.stringify(event)}::jsonb) as event`,
  );
  return row?.event ?? {};
}

/**
 * Mark calls scrubbed (the anura_calls trigger scrubs their state) and scrub their events, under the
 * same per-call locks the worker merges events under, so no merge interleaves with the scrub.
 */
async function scrubLocked(tx: DbOrTx, cdrids: string[]): Promise<number> {
  // In cdrid order, so two scrubs running at once never wait on each other in a cycle.
  await tx.execute(sql`
    select count(pg_advisory_xact_lock(hashtextextended(cdrid, 0)))
    from (select unnest(${textArray(cdrids)}) as cdrid order by 1) as ordered`);
  const marked = await tx.execute<{ cdrid: string }>(sql`
    update anura_calls set scrubbed_at = now()
    where cdrid = any(${textArray(cdrids)}) and scrubbed_at is null returning cdrid`);
  const scrubbed = marked.map((row) => row.cdrid);
  if (scrubbed.length > 0) {
    await tx.execute(sql`
      update anura_events set payload = anura_scrub_personal(payload) where cdrid = any(${textArray(scrubbed)})`);
  }
  return scrubbed.length;
}

/** A text[] literal with one bound parameter per element (drizzle expands a bare array into a list). */
function textArray(values: string[]) {
  return sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;
}
