import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { describe, expect } from "vitest";
import { stackTest } from "./support/index.ts";

const it = stackTest();

describe("a RECORDING event", () => {
  it("starts the download of a call whose END came without a recording link, once however often it comes", async ({
    stack,
    apiKey: key,
  }) => {
    await stack.createCampaign(1, "Ventas");
    const cdrid = "rec-later-1";
    const eventsStored = async () =>
      (await stack.sql`select count(*)::int as n from anura_events where cdrid = ${cdrid}`)[0]?.n as number;
    const path = "/rec/later.mp3";
    const url = stack.recordings.serve(path, generateMp3(2));
    // Anura's END can say "recorded" before the file exists: no link yet, so nothing to fetch.
    expect((await stack.post(seedEndEvent("", { cdrid }), { "X-API-Key": key })).status).toBe(202);
    const ended = await waitFor(
      async () => (await stack.sql`select recording_ready, state from anura_calls where cdrid = ${cdrid}`)[0],
      { what: "the call after END" },
    );
    expect(ended.recording_ready).toBe(false);
    expect(await stack.sql`select 1 from call_logs where call_id = ${cdrid}`).toHaveLength(1);
    const fetches = stack.ingester.deps.queues.queues["recording.fetch"];
    expect(await fetches.getJobCounts()).toMatchObject({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });

    const recording = { hooktrigger: "RECORDING", cdrid, audio_file_mp3: url };
    expect((await stack.post(recording, { "X-API-Key": key })).status).toBe(202);
    const task = await waitFor(() => findTask(stack.db, taskIdFor(cdrid)), { what: "the task after RECORDING" });
    expect(task).toMatchObject({ status: "pending", url: `anura/anura_${cdrid}.mp3` });
    expect(stack.recordings.hitsFor(path)).toBe(1);

    // Redelivered: stored and merged, and the call already has its recording and task.
    expect((await stack.post(recording, { "X-API-Key": key })).status).toBe(202);
    const events = stack.ingester.deps.queues.queues["call.event"];
    // Its event is stored and no call.event job is left (completed ones are removed at once).
    await waitFor(
      async () =>
        (await eventsStored()) === 3 &&
        Object.values(await events.getJobCounts("waiting", "active", "delayed")).every((n) => n === 0),
      { what: "the redelivered RECORDING's job done" },
    );
    expect(await fetches.getJobCounts("waiting", "active", "delayed")).toEqual({ waiting: 0, active: 0, delayed: 0 });
    expect(stack.recordings.hitsFor(path)).toBe(1);
    expect(await stack.sql`select uuid from tasks where uuid = ${taskIdFor(cdrid)}`).toHaveLength(1);
  });
});
