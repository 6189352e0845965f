import { spawnSync } from "node:child_process";
import { taskIdFor } from "@anura/call-events";
import { findTask } from "@anura/db";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let redis: Redis;

beforeAll(async () => {
  stack = await startStack();
  redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  await stack.createCampaign(1);
  const key = await stack.createApiKey();
  for (const cdrid of ["replay-1", "replay-2", "replay-3"]) {
    const url = stack.recordings.serve(`/rec/${cdrid}.mp3`, generateMp3(1.5));
    await stack.post(
      { hooktrigger: "START", cdrid, dialtime: "2026-02-10 10:00:00", accounttags: "campaign_1" },
      { "X-API-Key": key },
    );
    await stack.post(seedEndEvent(url, { cdrid }), { "X-API-Key": key });
    await waitFor(() => findTask(stack.db, taskIdFor(cdrid)), { what: `task ${cdrid}` });
  }
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.close();
});

async function snapshot() {
  return {
    events: await stack.sql`select id, cdrid, trigger from anura_events order by id`,
    calls:
      await stack.sql`select cdrid, state, campaign_id, operator_id, recording_key, recording_sha256, task_uuid from anura_calls order by cdrid`,
    callLogs:
      await stack.sql`select file_name, call_id, campaign_id, operator_id, call_start_date, call_end_date, sectot, url from call_logs order by call_id`,
    tasks: await stack.sql`select uuid, status, url, audio_duration from tasks order by uuid`,
  };
}

async function drained(): Promise<boolean> {
  for (const name of ["call.event", "recording.fetch", "task.create"]) {
    const queue = new Queue(name, { connection: redis, prefix: stack.prefix });
    const counts = await queue.getJobCounts("waiting", "active", "delayed");
    if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) > 0) return false;
  }
  return true;
}

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, ["apps/cli/src/main.ts", ...args], {
    env: {
      ...process.env,
      DATABASE_URL: stack.env.DATABASE_URL,
      REDIS_URL: stack.env.REDIS_URL,
      QUEUE_PREFIX: stack.prefix,
      ...env,
    },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("replay", () => {
  it("--dry-run lists what would be replayed and queues nothing", async () => {
    const run = cli("replay", "--since", "2000-01-01T00:00:00Z", "--trigger", "END", "--dry-run");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/3/);
    expect(await drained()).toBe(true);
  });

  it("re-drives every stored event through the pipeline; doing it twice changes nothing", async () => {
    const before = await snapshot();
    // Completed call.event jobs are removed at once: their completion events say they really ran.
    const listener = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null }); // QueueEvents blocks on it
    const events = new QueueEvents("call.event", { connection: listener, prefix: stack.prefix });
    let completed = 0;
    events.on("completed", () => completed++);
    try {
      await events.waitUntilReady();
      for (let round = 0; round < 2; round++) {
        const run = cli("replay", "--since", "2000-01-01T00:00:00Z");
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/replayed 6/);
        await waitFor(drained, { what: "replayed jobs processed" });
      }
      await waitFor(async () => completed >= 12, { what: "12 completions" });
      expect(completed).toBe(12); // really re-processed
      const queue = new Queue("call.event", { connection: redis, prefix: stack.prefix });
      expect((await queue.getJobCounts("completed")).completed).toBe(0); // and kept nothing in Redis
    } finally {
      await events.close();
      listener.disconnect();
    }
    expect(await snapshot()).toEqual(before);
    for (const cdrid of ["replay-1", "replay-2", "replay-3"]) expect(stack.recordings.hitsFor(`/rec/${cdrid}.mp3`)).toBe(1);
  });
});

describe("without Redis", () => {
  it("says which Redis it cannot reach and what to check, exits 1 and queues nothing", async () => {
    const run = cliWith({ REDIS_URL: "redis://127.0.0.1:1" }, "replay", "--since", "2000-01-01T00:00:00Z");
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain("cannot reach Redis at 127.0.0.1:1: is it running? (check REDIS_URL)");
    expect(run.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
    expect(await drained()).toBe(true);
  });
});
