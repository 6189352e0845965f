import { type CallEvent, normaliseEvent, taskIdFor } from "@anura/call-domain";
import {
  createCampaign,
  createDb,
  type DbHandle,
  eventsForCall,
  findCall,
  findCallLog,
  firstEventsMatching,
  latestEventPerCall,
  recordStoredRecording,
} from "@anura/db";
import { closeAll, createTestDatabase } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaignMapper } from "../src/calls/campaign-cache.ts";
import { mergeEventIntoCall } from "../src/calls/merge-event.ts";
import { createRecentCalls } from "../src/calls/recent-calls.ts";
import type { WorkerDeps } from "../src/deps.ts";

let database: { url: string; drop: () => Promise<void> };
let handle: DbHandle;
const task = { username: "anura", model: "large-v3", device: "cpu" };
let deps: Pick<WorkerDeps, "db" | "task">;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb(database.url, { max: 4 });
  await createCampaign(handle.db, { id: 3, name: "Ventas" });
  deps = { db: handle.db, task };
});
afterAll(() => closeAll(handle, database));

function received(cdrid: string, second: number, fields: Record<string, unknown>) {
  const result = normaliseEvent({ cdrid, ...fields }, "America/Argentina/Buenos_Aires");
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const event: CallEvent = result.event;
  return { eventId: crypto.randomUUID(), receivedAt: new Date(Date.UTC(2026, 1, 10, 13, 31, second)).toISOString(), event };
}

describe("one model of a call and of an event, whoever reads it", () => {
  it("the call a merge returns is the row the dashboard and CLI read, recording and timestamps included", async () => {
    const cdrid = "model-1";
    const merge = (input: ReturnType<typeof received>) =>
      mergeEventIntoCall(deps, createCampaignMapper(handle.db, {}), createRecentCalls(), input);
    await merge(received(cdrid, 0, { hooktrigger: "START", accounttags: "campaign_3", answerextension: "306" }));
    await merge(
      received(cdrid, 1, { hooktrigger: "END", duration: "42", wasrecorded: "true", audio_file_mp3: "https://r.example/a.mp3" }),
    );
    const recording = { key: "anura/anura_model-1.mp3", fileName: "anura_model-1.mp3", bytes: 10, sha256: "00", duration: 42 };
    const pending = { uuid: taskIdFor(cdrid), status: "pending", url: recording.key };
    expect(await recordStoredRecording(handle.db, cdrid, recording, pending)).toBe(true);

    const merged = await merge(received(cdrid, 2, { hooktrigger: "RECORDING", audio_file_mp3: "https://r.example/b.mp3" }));
    expect(merged).toEqual(await findCall(handle.db, cdrid));
    expect(merged.recordingStoredAt).toBeInstanceOf(Date);
    // The call log the merge rewrote kept the stored recording's name and key.
    expect(await findCallLog(handle.db, cdrid)).toMatchObject({ fileName: recording.fileName, url: recording.key, sectot: 42 });
  });

  it("an event replay and remap queue is the row the dashboard's timeline shows", async () => {
    const cdrid = "model-2";
    for (const [second, hooktrigger] of [
      [0, "START"],
      [1, "END"],
    ] as const) {
      await mergeEventIntoCall(
        deps,
        createCampaignMapper(handle.db, {}),
        createRecentCalls(),
        received(cdrid, second, { hooktrigger }),
      );
    }
    const timeline = await eventsForCall(handle.db, cdrid);
    expect(timeline.map((event) => event.receivedAt)).toEqual([
      new Date("2026-02-10T13:31:00.000Z"),
      new Date("2026-02-10T13:31:01.000Z"),
    ]);
    expect(await firstEventsMatching(handle.db, { since: new Date(0), cdrid }, 10)).toEqual(timeline);
    expect(await latestEventPerCall(handle.db, [cdrid])).toEqual([timeline[1]]);
  });
});
