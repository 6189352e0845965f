import type { Db } from "../client.ts";
import { sql } from "../drizzle.ts";
import { webhookInbox } from "../schema/index.ts";

export async function addToInbox(db: Db, row: { id: string; job: unknown; receivedAt: Date }): Promise<void> {
  await db.insert(webhookInbox).values(row).onConflictDoNothing();
}

/**
 * Hand a batch of inbox rows to `relay`, deleting each one it relayed, in one transaction;
 * SKIP LOCKED lets several ingesters relay at once without taking the same rows.
 */
export async function drainInbox(db: Db, limit: number, relay: (id: string, job: unknown) => Promise<void>): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; job: unknown }>(
      sql`select id, job from webhook_inbox order by received_at limit ${limit} for update skip locked`,
    );
    let relayed = 0;
    for (const row of rows) {
      await relay(row.id, row.job);
      await tx.execute(sql`delete from webhook_inbox where id = ${row.id}`);
      relayed++;
    }
    return relayed;
  });
}

export async function inboxSize(db: Db): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_inbox`);
  return row?.n ?? 0;
}
