import type { DbOrTx } from "../client.ts";
import { eq } from "../drizzle.ts";
import { tasks } from "../schema/index.ts";

export type NewTask = typeof tasks.$inferInsert;

/** Creates the pending task once; a second call for the same uuid changes nothing. Returns true if created. */
export async function insertPendingTask(tx: DbOrTx, task: NewTask): Promise<boolean> {
  const rows = await tx.insert(tasks).values(task).onConflictDoNothing({ target: tasks.uuid }).returning({ id: tasks.id });
  return rows.length > 0;
}

export async function findTask(tx: DbOrTx, uuid: string) {
  const [row] = await tx.select().from(tasks).where(eq(tasks.uuid, uuid));
  return row ?? null;
}
