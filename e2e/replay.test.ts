import { spawnSync } from "node:child_process";
import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { JOB_NAMES } from "@anura/queue";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { type Stack, stackTest } from "./support/index.ts";

const CALLS = ["replay-1", "replay-2", "replay-3"];

// Three recorded calls, each through to its task, before the first test.
const it = stackTest({}, async (stack) => {
  await stack.createCampaign(1);
  const key = await stack.createApiKey();
  for (const cdrid of CALLS) {
    const url = stack.recordings.serve(`/rec/${cdrid}.mp3`, generateMp3(1.5));
    await stack.post(
      { hooktrigger: "START", cdrid, dialtime: "2026-02-10 10:00:00", accounttags: "campaign_1" },
      { "X-API-Key": key },
    );
    await stack.post(seedEndEvent(url, { cdrid }), { "X-API-Key": key });
    await waitFor(() => findTask(stack.db, taskIdFor(cdrid)), { what: `task ${cdrid}` });
  }
});

async function snapshot(stack: Stack) {
  return {
    events: await stack.sql`select id, cdrid, trigger from anura_events order by id`,
    calls:
      await stack.sql`select cdrid, state, campaign_id, operator_id, recording_key, recording_sha256, task_uuid from anura_calls order by cdrid`,
    callLogs:
      await stack.sql`select file_name, call_id, campaign_id, operator_id, call_start_date, call_end_date, sectot, url from call_logs order by call_id`,
    tasks: await stack.sql`select uuid, status, url, audio_duration from tasks order by uuid`,
  };
}

/** The stack's queues, through the ingester's own connection (same Redis, same prefix). */
const queuesOf = (stack: Stack) => JOB_NAMES.map((name) => stack.ingester.deps.queues.queues[name]);

/** Entries in every queue's event stream: adding a job writes some, even one completed and removed since. */
async function queueEventEntries(stack: Stack): Promise<number> {
  const redis = new Redis(stack.env.REDIS_URL as string);
  try {
    let total = 0;
    for (const queue of queuesOf(stack)) total += await redis.xlen(queue.toKey("events"));
    return total;
  } finally {
    redis.disconnect();
  }
}

async function drained(stack: Stack): Promise<boolean> {
  for (const queue of queuesOf(stack)) {
    const counts = await queue.getJobCounts("waiting", "active", "delayed");
    if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) > 0) return false;
  }
  return true;
}

function cli(stack: Stack, env: Record<string, string>, ...args: string[]) {
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
  it("--dry-run lists what would be replayed and queues nothing", async ({ stack }) => {
    const before = await queueEventEntries(stack);
    const run = cli(stack, {}, "replay", "--since", "2000-01-01T00:00:00Z", "--trigger", "END", "--dry-run");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("dry run: 3 event(s) would be replayed");
    for (const cdrid of CALLS) expect(run.stdout).toMatch(new RegExp(`${cdrid}\\s+END`));
    // Counted over every state: the worker could have finished a wrongly queued job by now.
    expect(await queueEventEntries(stack)).toBe(before);
  });

  it("re-drives every stored event through the pipeline; doing it twice changes nothing", async ({ stack }) => {
    const before = await snapshot(stack);
    // Completed call.event jobs are removed at once: their completion events say they really ran.
    const listener = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null }); // QueueEvents blocks on it
    const events = new QueueEvents("call.event", { connection: listener, prefix: stack.prefix });
    let completed = 0;
    events.on("completed", () => completed++);
    try {
      await events.waitUntilReady();
      for (let round = 0; round < 2; round++) {
        const run = cli(stack, {}, "replay", "--since", "2000-01-01T00:00:00Z");
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toContain("replayed 6 event(s) as call.event jobs");
        await waitFor(() => drained(stack), { what: "replayed jobs processed" });
      }
      await waitFor(async () => completed >= 12, { what: "12 completions" });
      expect(completed).toBe(12); // really re-processed
      const queue = stack.ingester.deps.queues.queues["call.event"];
      expect((await queue.getJobCounts("completed")).completed).toBe(0); // and kept nothing in Redis
    } finally {
      await events.close();
      listener.disconnect();
    }
    expect(await snapshot(stack)).toEqual(before);
    for (const cdrid of CALLS) expect(stack.recordings.hitsFor(`/rec/${cdrid}.mp3`)).toBe(1);
  });
});

describe("without Redis", () => {
  // Nothing can be queued in a Redis that cannot be reached: what the user relies on is the sentence and the exit code.
  it("says which Redis it cannot reach and what to check, and exits 1", ({ stack }) => {
    const run = cli(stack, { REDIS_URL: "redis://127.0.0.1:1" }, "replay", "--since", "2000-01-01T00:00:00Z");
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain("cannot reach Redis at 127.0.0.1:1: is it running? (check REDIS_URL)");
    expect(run.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
  });
});
