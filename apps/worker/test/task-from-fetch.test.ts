import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FetchStack, generateMp3, startFetchStack, waitFor } from "./support.ts";

let t: FetchStack;
let connection: Redis;
let taskQueue: Queue;
const mp3 = generateMp3(3);

beforeAll(async () => {
  t = await startFetchStack();
  connection = new Redis(t.stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  taskQueue = new Queue("task.create", { connection, prefix: t.stack.prefix });
});
afterAll(async () => {
  await taskQueue?.close();
  await connection?.quit();
  await t?.close();
});

/** Every task.create job of a call, whatever its id (the registry's, or a remap's). */
async function taskJobsOf(cdrid: string): Promise<Job[]> {
  const jobs = await taskQueue.getJobs(["waiting", "active", "delayed", "completed", "failed"]);
  return jobs.filter((job) => job.data.cdrid === cdrid);
}

describe("the task of a recorded call", () => {
  it("is created by the download itself when the call is mapped, with no task.create job", async () => {
    const url = t.stack.recordings.serve("/mapped.mp3", mp3);
    await t.postEnd("mapped", url);
    const fetch = await t.settledFetch("mapped", "completed");

    expect(fetch.returnvalue).toMatchObject({ taskCreated: true });
    expect(await t.taskCount("mapped")).toBe(1);
    expect((await t.callRow("mapped"))?.task_uuid).toBeTruthy();
    expect(await taskJobsOf("mapped")).toEqual([]);
    // The call log points at the stored recording, and the task and the call agree on it.
    const [log] = await t.stack.sql`select file_name, url from call_logs where call_id = 'mapped'`;
    const [task] = await t.stack.sql`select file_name, url from tasks where uuid = ${(await t.callRow("mapped"))?.task_uuid}`;
    expect(log?.url).toBe(fetch.returnvalue.key);
    expect(log?.file_name).not.toMatch(/^pending_/);
    expect(task).toEqual({ file_name: log?.file_name, url: fetch.returnvalue.key });
  });

  it("comes from task.create when the campaign is created after the download", async () => {
    const url = t.stack.recordings.serve("/mapped-later.mp3", mp3);
    await t.postEnd("mapped-later", url, { accounttags: "campaign_77" });
    const fetch = await t.settledFetch("mapped-later", "completed");
    expect(fetch.returnvalue).toMatchObject({ taskCreated: null });
    expect(await t.taskCount("mapped-later")).toBe(0);

    await t.stack.createCampaign(77, "Later");
    await t.postEnd("mapped-later", url, { accounttags: "campaign_77" }); // Anura sends END again: a new event
    await waitFor(async () => (await t.taskCount("mapped-later")) === 1, { what: "the task of mapped-later" });

    const jobs = await taskJobsOf("mapped-later");
    expect(jobs).toHaveLength(1);
    await waitFor(async () => (await jobs[0]?.getState()) === "completed", { what: "task.create completed" });
    expect((await taskQueue.getJob(jobs[0]?.id as string))?.returnvalue).toMatchObject({ created: true });
    expect(t.stack.recordings.hitsFor("/mapped-later.mp3")).toBe(1); // downloaded once
  });
});
