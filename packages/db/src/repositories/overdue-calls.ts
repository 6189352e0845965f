import type { DbOrTx } from "../client.ts";
import { and, asc, count, eq, gt, isNull, sql } from "../drizzle.ts";
import { anuraCalls } from "../schema/index.ts";

// Calls past a deadline: a recording still not stored, or an END that never came.

/** Seconds → a timestamp that far before the database's now(), so app and database clocks cannot disagree. */
const ago = (seconds: number) => sql`now() - ${seconds}::float8 * interval '1 second'`;

/**
 * Calls whose recording should be in the bucket by now: recording_ready (saved with the state, by the
 * rule that queues the first download) and none stored, and nothing happened for a while.
 * Pages by cdrid: pass the last one seen as `afterCdrid` for the next page.
 */
export function callsAwaitingRecording(db: DbOrTx, options: { quietForSeconds: number; limit: number; afterCdrid?: string }) {
  return db
    .select({ cdrid: anuraCalls.cdrid })
    .from(anuraCalls)
    .where(
      and(
        awaitingRecording(options.quietForSeconds),
        options.afterCdrid === undefined ? undefined : gt(anuraCalls.cdrid, options.afterCdrid),
      ),
    )
    .orderBy(asc(anuraCalls.cdrid))
    .limit(options.limit);
}

/** How many recorded calls still have no stored recording this long after their last change (a metric). */
export async function countCallsAwaitingRecording(db: DbOrTx, quietForSeconds: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(anuraCalls).where(awaitingRecording(quietForSeconds));
  return row?.n ?? 0;
}

function awaitingRecording(quietForSeconds: number) {
  return and(
    isNull(anuraCalls.recordingStoredAt),
    eq(anuraCalls.recordingReady, true),
    sql`${anuraCalls.updatedAt} < ${ago(quietForSeconds)}`,
  );
}

/** Flags calls that never ended (no END) this long after they began; returns how many were flagged. */
export async function markStaleCalls(db: DbOrTx, options: { staleAfterSeconds: number }): Promise<number> {
  const flagged = await db
    .update(anuraCalls)
    .set({ staleAt: sql`now()` })
    .where(
      and(
        isNull(anuraCalls.staleAt),
        sql`${anuraCalls.state}->>'ended' is distinct from 'true'`,
        sql`${anuraCalls.createdAt} < ${ago(options.staleAfterSeconds)}`,
      ),
    )
    .returning({ cdrid: anuraCalls.cdrid });
  return flagged.length;
}
