import { hash, randomBytes } from "node:crypto";
import type { Db } from "../client.ts";
import { and, desc, eq, or } from "../drizzle.ts";
import { globalApiKeys } from "../schema/index.ts";

export function hashApiKey(plainKey: string): string {
  return hash("sha256", plainKey, "hex"); // one-shot: every webhook hashes its key
}

/** Creates a key and returns the plain text once; only its hash is stored. */
export async function createApiKey(db: Db, name: string) {
  const plainKey = `anura_${randomBytes(24).toString("base64url")}`;
  const prefix = plainKey.slice(0, 12);
  const [row] = await db
    .insert(globalApiKeys)
    .values({ name, hashedKey: hashApiKey(plainKey), prefix })
    .returning({ id: globalApiKeys.id });
  return { id: row!.id, name, prefix, plainKey };
}

export function listApiKeys(db: Db) {
  return db
    .select({
      id: globalApiKeys.id,
      name: globalApiKeys.name,
      prefix: globalApiKeys.prefix,
      isActive: globalApiKeys.isActive,
      createdAt: globalApiKeys.createdAt,
      lastUsedAt: globalApiKeys.lastUsedAt,
    })
    .from(globalApiKeys)
    .orderBy(desc(globalApiKeys.id));
}

/** Revoke by numeric id or by display prefix; returns how many keys were revoked. */
export async function revokeApiKey(db: Db, idOrPrefix: string): Promise<number> {
  const byId = /^\d+$/.test(idOrPrefix) ? eq(globalApiKeys.id, Number(idOrPrefix)) : undefined;
  const match = byId ? or(byId, eq(globalApiKeys.prefix, idOrPrefix)) : eq(globalApiKeys.prefix, idOrPrefix);
  const rows = await db.update(globalApiKeys).set({ isActive: false }).where(match).returning({ id: globalApiKeys.id });
  return rows.length;
}

export async function findActiveApiKey(db: Db, hashedKey: string) {
  const [row] = await db
    .select({ id: globalApiKeys.id, name: globalApiKeys.name, prefix: globalApiKeys.prefix })
    .from(globalApiKeys)
    .where(and(eq(globalApiKeys.hashedKey, hashedKey), eq(globalApiKeys.isActive, true)));
  return row ?? null;
}

export async function touchApiKey(db: Db, id: number): Promise<void> {
  await db.update(globalApiKeys).set({ lastUsedAt: new Date() }).where(eq(globalApiKeys.id, id));
}
