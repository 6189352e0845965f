import { spawnSync } from "node:child_process";
import { taskIdFor } from "@anura/call-domain";
import { findTask } from "@anura/db";
import { jobIdFor } from "@anura/queue";
import { generateMp3, seedEndEvent, waitFor } from "@anura/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

// Everything personal the calls below carry: none of it may survive a scrub, anywhere in our tables.
const PERSONAL = ["5491167950079", "5491126888209", "Juan Perez", "Agente", "cliente VIP"];
const personalPattern = PERSONAL.join("|");

let stack: Stack;
let redis: Redis;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  await stack.createCampaign(1);
  key = await stack.createApiKey();
  for (const cdrid of ["pd-old-1", "pd-old-2", "pd-old-3", "pd-new"]) await sendCall(cdrid);
  // Three calls from long ago; pd-new is recent.
  await stack.sql`update anura_calls set created_at = now() - interval '100 days' where cdrid like 'pd-old-%'`;
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.close();
});

/** A recorded call whose operator comes from the agent's name ("Agente 305"), with a caller name and a custom field. */
async function sendCall(cdrid: string) {
  const url = stack.recordings.serve(`/rec/${cdrid}.mp3`, generateMp3(1));
  const personal = { calling: "+5491167950079", called: "+5491126888209", callingname: "Juan Perez", custom1: "cliente VIP" };
  const agent = { queueagentname: "Agente 305", queueagentextension: "" };
  const start = {
    hooktrigger: "START",
    cdrid,
    dialtime: "2026-02-10 10:00:00",
    accounttags: "campaign_1",
    ...personal,
    ...agent,
  };
  expect((await stack.post(start, { "X-API-Key": key })).status).toBe(202);
  expect((await stack.post(seedEndEvent(url, { cdrid, ...personal, ...agent }), { "X-API-Key": key })).status).toBe(202);
  await waitFor(() => findTask(stack.db, taskIdFor(cdrid)), { what: `task ${cdrid}` });
}

function cli(...args: string[]) {
  return spawnSync(process.execPath, ["apps/cli/src/main.ts", ...args], {
    env: { ...process.env, DATABASE_URL: stack.env.DATABASE_URL, REDIS_URL: stack.env.REDIS_URL, QUEUE_PREFIX: stack.prefix },
    encoding: "utf8",
  });
}

/** How many of the call's events and call rows (every column) still hold a personal value. */
async function personalLeft(cdrid: string): Promise<number> {
  const [row] = await stack.sql<[{ n: number }]>`
    select (select count(*) from anura_events where cdrid = ${cdrid} and payload::text ~ ${personalPattern})
         + (select count(*) from anura_calls c where cdrid = ${cdrid} and to_jsonb(c)::text ~ ${personalPattern}) as n`;
  return Number(row.n);
}

async function kept(cdrid: string) {
  const [call] = await stack.sql`
    select cdrid, campaign_id, operator_id, recording_key, task_uuid, state->'triggers' as triggers,
      state->>'startedAt' as started_at, state->>'duration' as duration, scrubbed_at is not null as scrubbed
    from anura_calls where cdrid = ${cdrid}`;
  const events = await stack.sql`select trigger, received_at from anura_events where cdrid = ${cdrid} order by received_at`;
  return { call, events };
}

describe("personal data", () => {
  it("scrub removes numbers, names and free fields of calls past retention, keeps what stats need, and counts them", async () => {
    const before = await kept("pd-old-1");
    expect(await personalLeft("pd-old-1")).toBeGreaterThan(0);

    const run = cli("personal-data", "scrub", "--older-than-days", "95");
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("scrubbed 3 call(s) first stored more than 95 day(s) ago");
    for (const cdrid of ["pd-old-1", "pd-old-2", "pd-old-3"]) expect(await personalLeft(cdrid)).toBe(0);
    expect(await personalLeft("pd-new")).toBeGreaterThan(0);

    // cdrid, triggers, times, mapping (operator 305 from the agent's name), recording and task stay.
    const after = await kept("pd-old-1");
    expect(after).toEqual({ call: { ...before.call, scrubbed: true }, events: before.events });
    expect(after.call).toMatchObject({ campaign_id: 1, operator_id: 305, task_uuid: taskIdFor("pd-old-1") });
    expect(cli("personal-data", "scrub", "--older-than-days", "95").stdout).toContain("scrubbed 0 call(s)");
  });

  it("a scrubbed call stays scrubbed through a replay of its events and a late event", async () => {
    const before = await kept("pd-old-2");
    const replay = cli("replay", "--since", "2000-01-01T00:00:00Z", "--call", "pd-old-2");
    expect(replay.status, replay.stderr).toBe(0);
    const late = { hooktrigger: "RECORDING", cdrid: "pd-old-2", calling: "+5491167950079", callingname: "Juan Perez" };
    expect((await stack.post(late, { "X-API-Key": key })).status).toBe(202);
    await waitFor(async () => (await kept("pd-old-2")).events.length === before.events.length + 1, { what: "late event stored" });
    await waitFor(async () => (await queueIdle()) && (await kept("pd-old-2")).call?.triggers.includes("RECORDING"), {
      what: "replay and late event processed",
    });

    expect(await personalLeft("pd-old-2")).toBe(0);
    const after = await kept("pd-old-2");
    expect(after.call).toMatchObject({ campaign_id: 1, operator_id: 305, task_uuid: taskIdFor("pd-old-2"), scrubbed: true });
  });

  it("the worker's sweeper scrubs a call by itself once it is past PERSONAL_DATA_RETENTION_DAYS", async () => {
    await sendCall("pd-aged");
    await stack.sql`update anura_calls set created_at = now() - interval '91 days' where cdrid = 'pd-aged'`;
    await redis.del(`${stack.prefix}:sweeper:lock`); // sweep now, not at the next interval
    const counts = await stack.worker?.sweeper.tick();
    expect(counts?.scrubbed).toBe(1);
    expect(await personalLeft("pd-aged")).toBe(0);
    expect(await personalLeft("pd-new")).toBeGreaterThan(0);
  });

  it("a forgotten call that was unmapped is remapped once its campaign exists, with the operator from the agent's name", async () => {
    const url = stack.recordings.serve("/rec/pd-unmapped.mp3", generateMp3(1));
    const end = seedEndEvent(url, {
      cdrid: "pd-unmapped",
      accounttags: "campaign_2", // no such campaign yet
      queueagentname: "Agente 305",
      queueagentextension: "",
      callingname: "Juan Perez",
    });
    expect((await stack.post(end, { "X-API-Key": key })).status).toBe(202);
    await waitFor(
      async () =>
        (await stack.sql`select 1 from anura_calls where cdrid = 'pd-unmapped' and recording_stored_at is not null`).length,
      { what: "unmapped call stored" },
    );
    expect(cli("personal-data", "forget", "--call", "pd-unmapped").status).toBe(0);

    await stack.createCampaign(2);
    const remap = cli("calls", "remap");
    expect(remap.status, remap.stderr).toBe(0);
    await waitFor(() => findTask(stack.db, taskIdFor("pd-unmapped")), { what: "task after remap" });
    expect((await kept("pd-unmapped")).call).toMatchObject({ campaign_id: 2, operator_id: 305, scrubbed: true });
    expect(await personalLeft("pd-unmapped")).toBe(0);
  });

  it("forget scrubs one call at once in Postgres and in a batch job still holding its event; Redis keeps no copy of processed events", async () => {
    const events = await stack.sql<{ id: string; received_at: Date; payload: unknown }[]>`
      select id::text, received_at, payload from anura_events where cdrid in ('pd-new', 'pd-old-3') order by cdrid`;
    const eventIds = events.filter((e) => e.payload && (e.payload as { cdrid: string }).cdrid === "pd-new").map((e) => e.id);
    expect(eventIds.length).toBeGreaterThan(0);
    const queue = new Queue("call.event", { connection: redis, prefix: stack.prefix });
    // A completed call.event job is removed at once, its copy of the event with it.
    for (const eventId of eventIds) expect(await queue.getJob(jobIdFor("call.event", { eventId }))).toBeUndefined();
    // A batch holding one of its events beside another call's, delayed so that it stays (as one retrying would).
    const entry = (e: (typeof events)[number]) => ({
      eventId: e.id,
      receivedAt: new Date(e.received_at).toISOString(),
      event: e.payload,
    });
    const neighbour = events.find((e) => (e.payload as { cdrid: string }).cdrid === "pd-old-3") as (typeof events)[number];
    const mine = events.find((e) => e.id === eventIds[0]) as (typeof events)[number];
    const batchId = `batch-${mine.id}`;
    await queue.add("call.event", { batch: [entry(mine), entry(neighbour)] }, { jobId: batchId, delay: 3_600_000 });

    const run = cli("personal-data", "forget", "--call", "pd-new");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("call pd-new: scrubbed");
    expect(run.stdout).toContain("Redis: 1 call.event job(s) scrubbed");
    expect(await personalLeft("pd-new")).toBe(0);
    const batch = (await queue.getJob(batchId))?.data.batch;
    expect(JSON.stringify(batch[0])).not.toMatch(new RegExp(personalPattern));
    expect(batch[1]).toEqual(JSON.parse(JSON.stringify(entry(neighbour)))); // the other call's event untouched
    await queue.remove(batchId);
    await queue.close();

    const unknown = cli("personal-data", "forget", "--call", "no-such-call");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no call no-such-call");
  });
});

async function queueIdle(): Promise<boolean> {
  for (const name of ["call.event", "recording.fetch", "task.create"]) {
    const queue = new Queue(name, { connection: redis, prefix: stack.prefix });
    const counts = await queue.getJobCounts("waiting", "active", "delayed");
    await queue.close();
    if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) > 0) return false;
  }
  return true;
}
