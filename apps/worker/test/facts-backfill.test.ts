import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type CallEvent, mergeEvents, normaliseEvent } from "@anura/call-domain";
import { createCampaign } from "@anura/db";
import { dbTest } from "@anura/testing/fixtures";
import { describe, expect } from "vitest";
import { createCampaignMapper } from "../src/calls/campaign-cache.ts";
import { mergeEventIntoCall } from "../src/calls/merge-event.ts";
import { createRecentCalls } from "../src/calls/recent-calls.ts";

const BACKFILL = new URL("../../../packages/db/migrations/0011_backfill_call_facts.sql", import.meta.url);

function event(fields: Record<string, unknown>): CallEvent {
  const result = normaliseEvent(fields, "America/Argentina/Buenos_Aires");
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe("a call stored before calls kept their facts (migration 0011)", () => {
  dbTest(
    "gets the facts the worker's merge gives its events, so its next event is merged into all of them",
    async ({ database: handle }) => {
      await createCampaign(handle.db, { id: 3, name: "Ventas" });
      const cdrid = `old-${randomUUID().slice(0, 8)}`;
      const at = (second: number) => new Date(Date.UTC(2026, 1, 10, 13, 31, second)).toISOString();
      const received = [
        { hooktrigger: "START", dialtime: "2026-02-10 10:30:00", calling: "+5491100000001", accounttags: "campaign_3" },
        { hooktrigger: "TALK", queueagentextension: "305", answerextension: "306" },
        { hooktrigger: "END", duration: "120", wasrecorded: "true", audio_file_mp3: "https://r.example/a.mp3" },
        { hooktrigger: "END", duration: "118" }, // the same stage in the same second: the event id decides
        { hooktrigger: "RECORDING", audio_file_mp3: "https://r.example/fresh.mp3" }, // arrives after the backfill
      ].map((body, i) => ({ eventId: randomUUID(), receivedAt: at(Math.min(i, 2)), event: event({ cdrid, ...body }) }));
      const deps = { db: handle.db, task: { username: "anura", model: "large-v3", device: "cpu" } };
      const mapCall = createCampaignMapper(handle.db, {});
      for (const input of received.slice(0, 4)) await mergeEventIntoCall(deps, mapCall, createRecentCalls(), input);
      const [saved] = await handle.sql`select facts, version from anura_calls where cdrid = ${cdrid}`;
      // As a call saved before 0007 was: its events and state, no facts.
      await handle.sql`update anura_calls set facts = null where cdrid = ${cdrid}`;

      await handle.sql.unsafe(await readFile(BACKFILL, "utf8"));
      const [backfilled] = await handle.sql`select facts, version from anura_calls where cdrid = ${cdrid}`;
      expect(backfilled?.facts).toEqual(saved?.facts);
      expect(backfilled?.version).toBe((saved?.version as number) + 1);

      const last = received[4] as (typeof received)[number];
      await mergeEventIntoCall(deps, mapCall, createRecentCalls(), last);
      const [call] = await handle.sql`select state from anura_calls where cdrid = ${cdrid}`;
      expect(call?.state).toEqual(mergeEvents(received));
      expect(call?.state).toMatchObject({
        aniTel: "+5491100000001",
        queueagentextension: "305",
        wasrecorded: true,
        recordingUrl: "https://r.example/fresh.mp3",
      });
    },
  );
});
