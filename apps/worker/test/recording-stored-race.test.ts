import { createDb, recordStoredRecording } from "@anura/db";
import { createTestDatabase } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

it("a call log committed while the download waited for the call's lock still gets the recording's file name and url", async () => {
  const handle = createDb(database.url, { max: 2 });
  const other = createDb(database.url, { max: 1 });
  const cdrid = "race-1";
  try {
    await handle.sql`insert into anura_calls (cdrid, state, campaign_id, operator_id, recording_ready) values
      (${cdrid}, '{}'::jsonb, 1, 300, true)`;
    // A merge holding the call's (shared) lock creates the call log, with its provisional name, and commits late.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const merge = other.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock_shared(hashtextextended(${cdrid}, 0))`;
      await tx`insert into call_logs (file_name, call_id, campaign_id, operator_id) values ('pending_race-1_0.tmp', ${cdrid}, 1, 300)`;
      await released;
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the merge holds the lock
    const recording = { key: "anura/anura_race-1.mp3", fileName: "anura_race-1.mp3", bytes: 10, sha256: "00", duration: 1 };
    const task = { uuid: "7c0c1a2e-0000-5000-8000-000000000001", status: "pending", url: recording.key };
    const stored = recordStoredRecording(handle.db, cdrid, recording, task);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the download waits for the lock
    release();
    await merge;
    expect(await stored).toBe(true);
    const [log] = await handle.sql<{ file_name: string; url: string | null }[]>`
      select file_name, url from call_logs where call_id = ${cdrid}`;
    expect(log).toEqual({ file_name: recording.fileName, url: recording.key });
  } finally {
    await other.close();
    await handle.close();
  }
});
