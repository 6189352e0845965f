import { createHash } from "node:crypto";
import { buffer } from "node:stream/consumers";
import { taskIdFor } from "@anura/call-domain";
import { findCallLog, findTask } from "@anura/db";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let key: string;
const mp3 = generateMp3(3);

beforeAll(async () => {
  stack = await startStack();
  key = await stack.createApiKey();
  await stack.createCampaign(1, "Ventas");
});
afterAll(() => stack?.close());

describe("the seed's END example, end to end", () => {
  it("acknowledges at once with the task id the pipeline will create, then stores the call, recording and task", async () => {
    const url = stack.recordings.serve("/recordings/12345.mp3", mp3);
    const res = await stack.post(seedEndEvent(url), { "X-API-Key": key });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      success: true,
      message: "Webhook processed successfully: END",
      call_id: "1234567890",
      task_id: taskIdFor("1234567890"),
      recording_downloaded: false,
      queued: true,
    });

    const task = await waitFor(() => findTask(stack.db, res.body.task_id as string), { what: "task row" });
    expect(task).toMatchObject({
      status: "pending",
      url: "anura/anura_1234567890.mp3",
      fileName: "anura_1234567890.mp3",
      language: "es",
      taskType: "full_process",
    });
    expect(task.audioDuration).toBeGreaterThan(2.5);
    expect(task.audioDuration).toBeLessThan(3.5);
    expect(task.taskParams).toMatchObject({
      s3_path: "anura/anura_1234567890.mp3",
      language: "es",
      task: "transcribe",
      recording_bytes: mp3.length,
      recording_sha256: createHash("sha256").update(mp3).digest("hex"),
    });
    expect(task.taskParams).toHaveProperty("model");
    expect(task.taskParams).toHaveProperty("username");

    const stored = await buffer(await stack.store.get(task.url as string));
    expect(stored.equals(mp3)).toBe(true);

    const log = await findCallLog(stack.db, "1234567890");
    expect(log).toMatchObject({
      fileName: "anura_1234567890.mp3",
      url: "anura/anura_1234567890.mp3",
      campaignId: 1,
      operatorId: 300,
      direction: "inbound",
      aniTel: "+5491167950079",
      sectot: 120,
      uploadBy: "anura-webhook",
    });
    // 10:30 in Buenos Aires (UTC-3) is 13:30 UTC; the call lasted 120 s.
    expect(log?.callStartDate?.toISOString()).toBe("2026-02-10T13:30:00.000Z");
    expect(log?.callEndDate?.toISOString()).toBe("2026-02-10T13:32:00.000Z");
  });
});

describe("a call's lifecycle", () => {
  it("START creates the call log, TALK updates it, END without a recording closes it and creates no task", async () => {
    const base = {
      cdrid: "life-1",
      dialtime: "2026-03-01 09:00:00",
      direction: "outbound",
      calling: "300",
      called: "+5491100000001",
      accounttags: "campaign_1",
      queueagentextension: "301",
    };
    const headers = { "X-API-Key": key };
    expect((await stack.post({ ...base, hooktrigger: "START" }, headers)).status).toBe(202);
    const started = await waitFor(() => findCallLog(stack.db, "life-1"), { what: "call log after START" });
    expect(started.callEndDate).toBeNull();
    expect(started.fileName).toBe("pending_life-1.tmp");

    await stack.post({ ...base, hooktrigger: "TALK", answerextension: "302" }, headers);
    await waitFor(async () => (await findCallLog(stack.db, "life-1"))?.operatorId === 302, {
      what: "operator from the answerer",
    });

    await stack.post({ ...base, hooktrigger: "END", duration: 45, wasrecorded: false }, headers);
    const ended = await waitFor(
      async () => {
        const row = await findCallLog(stack.db, "life-1");
        return row?.sectot === 45 ? row : null;
      },
      { what: "call log after END" },
    );
    expect(ended.aniTel).toBe("+5491100000001"); // outbound: the customer is the called number
    expect(ended.callEndDate?.toISOString()).toBe("2026-03-01T12:00:45.000Z");
    expect(await findTask(stack.db, taskIdFor("life-1"))).toBeNull();
  });

  it("the same END delivered twice gives one call log, one download and one task", async () => {
    const url = stack.recordings.serve("/recordings/dup.mp3", mp3);
    const event = seedEndEvent(url, { cdrid: "dup-1" });
    const [a, b] = await Promise.all([stack.post(event, { "X-API-Key": key }), stack.post(event, { "X-API-Key": key })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await waitFor(() => findTask(stack.db, taskIdFor("dup-1")), { what: "task" });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let any duplicate work surface
    const counts = await stack.sql`
      select (select count(*) from call_logs where call_id = 'dup-1')::int as logs,
             (select count(*) from tasks where uuid = ${taskIdFor("dup-1")})::int as tasks,
             (select count(*) from anura_events where cdrid = 'dup-1')::int as events`;
    expect(counts[0]).toEqual({ logs: 1, tasks: 1, events: 2 });
    expect(stack.recordings.hitsFor("/recordings/dup.mp3")).toBe(1);
  });
});
