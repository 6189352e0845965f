import { randomUUID } from "node:crypto";
import { normaliseEvent } from "@anura/call-domain";
import { createCampaign, createDb } from "@anura/db";
import { createTestDatabase } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCampaignMapper } from "../src/calls/campaign-cache.ts";
import { mergeEventIntoCall } from "../src/calls/merge-event.ts";
import { createRecentCalls } from "../src/calls/recent-calls.ts";

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** anura_calls' updates and how many of them were HOT, from Postgres' statistics (reported when a backend disconnects). */
async function callUpdates(): Promise<{ updates: number; hot: number }> {
  const reader = createDb(database.url, { max: 1 });
  try {
    await reader.sql`select pg_stat_clear_snapshot()`;
    const [row] = await reader.sql<{ updates: number; hot: number }[]>`
      select n_tup_upd::int as updates, n_tup_hot_upd::int as hot from pg_stat_user_tables where relname = 'anura_calls'`;
    return row ?? { updates: 0, hot: 0 };
  } finally {
    await reader.close();
  }
}

it("saving an event that changes no indexed column updates the call's row in place (a HOT update)", async () => {
  const handle = createDb(database.url, { max: 2 });
  const before = await callUpdates();
  try {
    await createCampaign(handle.db, { id: 3, name: "Ventas" });
    const deps = { db: handle.db, task: { username: "anura", model: "large-v3", device: "cpu" } };
    const mapCall = createCampaignMapper(handle.db, {});
    const recent = createRecentCalls();
    const record = (fields: Record<string, unknown>) => {
      const result = normaliseEvent({ cdrid: "hot-1", ...fields }, "America/Argentina/Buenos_Aires");
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return mergeEventIntoCall(deps, mapCall, recent, {
        eventId: randomUUID(),
        receivedAt: new Date().toISOString(),
        event: result.event,
      });
    };
    await record({ hooktrigger: "START", accounttags: "campaign_3", answerextension: "306", dialtime: "2026-02-10 10:30:00" });
    // Each of these changes the call's state, version and updated_at, none of its indexed columns.
    for (const extension of ["307", "308", "309", "310"]) await record({ hooktrigger: "TALK", answerextension: extension });
  } finally {
    await handle.close();
  }
  let after = before;
  for (let tries = 0; tries < 50 && after.updates < before.updates + 4; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100)); // the closed backend's report arrives shortly after
    after = await callUpdates();
  }
  expect(after.updates - before.updates).toBe(4);
  expect(after.hot - before.hot).toBe(4);
});
