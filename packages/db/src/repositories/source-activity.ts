import type { Db } from "../client.ts";
import { eq, gte, lt, sql } from "../drizzle.ts";
import { globalApiKeys, sourceActivity } from "../schema/index.ts";

export interface ActivityCount {
  apiKeyId: number;
  /** Start of the UTC hour the events arrived in. */
  hour: Date;
  events: number;
  lastEventAt: Date;
}

/** Adds counted events to their hour's row in one statement; safe from several ingesters at once. */
export async function addSourceActivity(db: Db, counts: ActivityCount[]): Promise<void> {
  if (counts.length === 0) return;
  await db
    .insert(sourceActivity)
    .values(counts)
    .onConflictDoUpdate({
      target: [sourceActivity.apiKeyId, sourceActivity.hour],
      set: {
        events: sql`${sourceActivity.events} + excluded.events`,
        lastEventAt: sql`greatest(${sourceActivity.lastEventAt}, excluded.last_event_at)`,
      },
    });
}

export interface KeyActivity {
  apiKeyId: number;
  prefix: string;
  name: string;
  /** Events per hour start (ms since epoch) since the given time. */
  hours: Map<number, number>;
  lastEventAt: Date | null;
}

/** Every active key's hourly counts since `since`, with when it last sent anything at all. */
export async function activeKeysActivity(db: Db, since: Date): Promise<KeyActivity[]> {
  const keys = await db
    .select({
      apiKeyId: globalApiKeys.id,
      prefix: globalApiKeys.prefix,
      name: globalApiKeys.name,
      lastEventAt: sql<string | null>`(select max(last_event_at) from source_activity where api_key_id = ${globalApiKeys.id})`,
    })
    .from(globalApiKeys)
    .where(eq(globalApiKeys.isActive, true));
  const rows = await db
    .select({ apiKeyId: sourceActivity.apiKeyId, hour: sourceActivity.hour, events: sourceActivity.events })
    .from(sourceActivity)
    .where(gte(sourceActivity.hour, since));
  const byKey = new Map<number, KeyActivity>(
    keys.map((key) => [
      key.apiKeyId,
      { ...key, hours: new Map(), lastEventAt: key.lastEventAt === null ? null : new Date(key.lastEventAt) },
    ]),
  );
  for (const row of rows) byKey.get(row.apiKeyId)?.hours.set(row.hour.getTime(), row.events);
  return [...byKey.values()];
}

/** Drops hours older than the history the alarm reads; returns how many rows went. */
export async function pruneSourceActivity(db: Db, before: Date): Promise<number> {
  const removed = await db
    .delete(sourceActivity)
    .where(lt(sourceActivity.hour, before))
    .returning({ apiKeyId: sourceActivity.apiKeyId });
  return removed.length;
}
