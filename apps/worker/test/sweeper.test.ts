import { jobIdFor } from "@anura/queue";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSweeper } from "../src/sweeper/start-sweeper.ts";
import { endEvent, type FetchStack, generateMp3, startFetchStack, waitFor } from "./support.ts";

let t: FetchStack;
const mp3 = generateMp3(3);

beforeAll(async () => {
  t = await startFetchStack({ env: { RECONCILE_AFTER: "0", STALE_CALL_AFTER: "1", SWEEP_INTERVAL: "0.3" } });
});
afterAll(() => t?.close());

/** Resolves once the worker's sweeper has run `count` more sweeps. */
async function sweepsPass(count: number) {
  const target = t.worker.sweeper.stats().sweeps + count;
  await waitFor(async () => t.worker.sweeper.stats().sweeps >= target, { what: `${count} more sweeps` });
}

async function storedAgain(cdrid: string) {
  return waitFor(async () => (await t.callRow(cdrid))?.recording_stored_at, { what: `${cdrid} stored again` });
}

describe("re-driving recordings nothing is fetching any more", () => {
  it("queues the download again for a recorded call whose job vanished from retention", async () => {
    const url = t.stack.recordings.serve("/vanished.mp3", mp3);
    await t.postEnd("vanished", url);
    await t.settledFetch("vanished", "completed");
    // As if retention had dropped the job and the call had lost its recording (a restored database).
    await t.fetchQueue.remove(jobIdFor("recording.fetch", { cdrid: "vanished" }));
    await t.stack.sql`update anura_calls set recording_stored_at = null, recording_key = null where cdrid = 'vanished'`;

    await storedAgain("vanished");
    expect(t.stack.recordings.hitsFor("/vanished.mp3")).toBe(2);
    expect(await t.taskCount("vanished")).toBe(1);
    expect(t.logs.join("")).toMatch(/"redriven":[1-9].*"msg":"sweep done"/);
  });

  it("replaces a job that completed without the recording being stored", async () => {
    const url = t.stack.recordings.serve("/completed.mp3", mp3);
    await t.postEnd("completed", url);
    await t.settledFetch("completed", "completed");
    await t.stack.sql`update anura_calls set recording_stored_at = null where cdrid = 'completed'`;

    await storedAgain("completed");
    expect(t.stack.recordings.hitsFor("/completed.mp3")).toBe(2);
  });

  it("leaves a failed download in the failed set for an operator instead of retrying it", async () => {
    const url = t.stack.recordings.route("/forbidden.mp3", (_req, res) => void res.writeHead(403).end());
    await t.postEnd("forbidden", url);
    await t.settledFetch("forbidden", "failed");
    await sweepsPass(3);

    const job = await t.fetchJob("forbidden");
    expect(await job?.getState()).toBe("failed");
    expect(job?.attemptsMade).toBe(1);
    expect(t.stack.recordings.hitsFor("/forbidden.mp3")).toBe(1);
    expect(t.worker.sweeper.stats().last?.leftFailed).toBeGreaterThanOrEqual(1);
  });

  it("does not touch a download that is still being retried", async () => {
    const url = t.stack.recordings.route("/slow-to-appear.mp3", (_req, res, hit) => {
      if (hit <= 3) res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "audio/mpeg" }).end(mp3);
    });
    await t.postEnd("slow-to-appear", url);
    await t.settledFetch("slow-to-appear", "completed");
    expect(t.stack.recordings.hitsFor("/slow-to-appear.mp3")).toBe(4); // one job's attempts, no extra re-drive
  });
});

describe("calls that never ended", () => {
  it("are marked stale after STALE_CALL_AFTER; ended ones are not", async () => {
    const start = {
      ...endEvent("x", ""),
      hooktrigger: "START",
      wasrecorded: undefined,
      duration: undefined,
      audio_file_mp3: undefined,
    };
    await t.postEvent({ ...endEvent("ended-ok", ""), wasrecorded: false, audio_file_mp3: undefined });
    await waitFor(async () => (await t.callRow("ended-ok"))?.state, { what: "ended call recorded" });
    await t.postEvent({ ...start, cdrid: "never-ended" });

    const stale = await waitFor(async () => (await t.callRow("never-ended"))?.stale_at, { what: "stale_at", timeoutMs: 10_000 });
    expect(new Date(stale).getTime()).toBeGreaterThan(Date.now() - 10_000);
    expect((await t.callRow("ended-ok"))?.stale_at).toBeNull(); // older than never-ended, so the same sweep saw it
    // The sweep logs after it commits: the line may follow the row by a moment.
    await waitFor(async () => /"markedStale":[1-9]/.test(t.logs.join("")), {
      what: "the sweep's markedStale line",
      timeoutMs: 5000,
    });
  });
});

describe("one sweeper at a time across processes", () => {
  it("of two processes ticking together only one sweeps, and no one sweeps again within the interval", async () => {
    const redis = new Redis(t.stack.env.REDIS_URL, { maxRetriesPerRequest: 1 });
    const options = {
      redis,
      prefix: `${t.stack.prefix}-lock`,
      intervalMs: 3_600_000,
      reconcileAfterSeconds: 3600,
      staleAfterSeconds: 3600,
    };
    const a = startSweeper(t.worker.deps, options);
    const b = startSweeper(t.worker.deps, options);
    try {
      const results = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      expect(results.filter((counts) => counts !== null)).toEqual([{ redriven: 0, markedStale: 0, leftFailed: 0, scrubbed: 0 }]);
      expect(await b.tick()).toBeNull();
      expect(await redis.pttl(`${t.stack.prefix}-lock:sweeper:lock`)).toBeGreaterThan(3_500_000);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await redis.quit();
    }
  });

  it("a stopped sweeper sweeps no more", async () => {
    const redis = new Redis(t.stack.env.REDIS_URL, { maxRetriesPerRequest: 1 });
    const sweeper = startSweeper(t.worker.deps, {
      redis,
      prefix: `${t.stack.prefix}-stop`,
      intervalMs: 50,
      reconcileAfterSeconds: 3600,
      staleAfterSeconds: 3600,
    });
    await waitFor(async () => sweeper.stats().sweeps >= 1, { what: "a first sweep" });
    await sweeper.stop();
    const after = sweeper.stats().sweeps;
    await new Promise((resolve) => setTimeout(resolve, 300)); // six intervals
    expect(sweeper.stats().sweeps).toBe(after);
    await redis.quit();
  });
});
