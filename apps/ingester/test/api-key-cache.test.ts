import { createApiKey, createDb, revokeApiKey } from "@anura/db";
import { createTestDatabase } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeyCache } from "../src/auth/api-key-cache.ts";

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/**
 * Scans of global_api_keys (lookups and last_used_at updates) that `work` caused, from Postgres'
 * own statistics: a backend reports them when it disconnects, so `work` gets a connection of its own.
 */
async function scansDuring(work: (cache: (ttlMs: number) => ApiKeyCache) => Promise<void>): Promise<number> {
  const reader = createDb(database.url, { max: 1 });
  const read = async () => {
    await reader.sql`select pg_stat_clear_snapshot()`;
    const [row] = await reader.sql<{ n: number }[]>`
      select (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int as n from pg_stat_user_tables where relname = 'global_api_keys'`;
    return row?.n ?? 0;
  };
  try {
    const before = await read();
    const handle = createDb(database.url, { max: 4 });
    await work((ttlMs) => new ApiKeyCache(handle.db, ttlMs)).finally(handle.close);
    let after = before;
    for (let tries = 0; tries < 50 && after === before; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the closed backend's report arrives shortly after
      after = await read();
    }
    return after - before;
  } finally {
    await reader.close();
  }
}

describe("the API key cache", () => {
  it("answers 50 concurrent requests with an uncached key from one Postgres query", async () => {
    const admin = createDb(database.url, { max: 1 });
    const key = await createApiKey(admin.db, "single-flight").finally(admin.close);
    const scans = await scansDuring(async (cache) => {
      const keys = cache(60_000);
      const answers = await Promise.all(Array.from({ length: 50 }, () => keys.lookup(key.plainKey)));
      expect(answers.every((identity) => identity?.id === key.id)).toBe(true);
    });
    expect(scans).toBe(2); // the lookup, and the once-a-minute last_used_at update
  });

  it("refreshes a key in use before its entry expires, answering from memory meanwhile", async () => {
    const admin = createDb(database.url, { max: 1 });
    try {
      const key = await createApiKey(admin.db, "refresh-ahead");
      const ttlMs = 4000;
      const handle = createDb(database.url, { max: 2 });
      try {
        const keys = new ApiKeyCache(handle.db, ttlMs);
        const loadedAt = Date.now();
        expect((await keys.lookup(key.plainKey))?.id).toBe(key.id);
        await revokeApiKey(admin.db, String(key.id));
        await new Promise((resolve) => setTimeout(resolve, (ttlMs * 3) / 4 + 100)); // into the last quarter
        // Still the remembered answer (no wait for Postgres), and a refresh starts behind it...
        expect((await keys.lookup(key.plainKey))?.id).toBe(key.id);
        // ...so the revocation shows before the first entry would have expired.
        let identity: unknown = key;
        while (identity && Date.now() < loadedAt + ttlMs) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          identity = await keys.lookup(key.plainKey);
        }
        expect(identity).toBeNull();
      } finally {
        await handle.close();
      }
    } finally {
      await admin.close();
    }
  });
});
