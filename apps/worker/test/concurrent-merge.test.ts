import { randomUUID } from "node:crypto";
import { type CallEvent, cdrEventIdFor, mergeEvents, normaliseEvent } from "@anura/call-domain";
import { createCampaign, createDb, type DbHandle, lockCall, markRecordingStored, type StoredCall } from "@anura/db";
import { closeAll, createTestDatabase } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createCampaignMapper } from "../src/calls/campaign-cache.ts";
import { mergeEventIntoCall, mergeEventsIntoCalls } from "../src/calls/merge-event.ts";
import { createRecentCalls, type RecentCalls } from "../src/calls/recent-calls.ts";
import type { WorkerDeps } from "../src/deps.ts";

let database: { url: string; drop: () => Promise<void> };
let handle: DbHandle;
let deps: Pick<WorkerDeps, "db" | "task">;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb(database.url, { max: 12 });
  await createCampaign(handle.db, { id: 3, name: "Ventas" });
  deps = { db: handle.db, task: { username: "anura", model: "large-v3", device: "cpu" } };
});
afterAll(() => closeAll(handle, database));

function event(fields: Record<string, unknown>): CallEvent {
  const result = normaliseEvent(fields, "America/Argentina/Buenos_Aires");
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe("events of one call recorded by many workers at once", () => {
  it("give the call and call log of all events merged together, whatever interleaving", async () => {
    const cdrid = `race-${randomUUID().slice(0, 8)}`;
    const bodies = [
      {
        hooktrigger: "START",
        dialtime: "2026-02-10 10:30:00",
        direction: "inbound",
        calling: "+5491100000001",
        accounttags: "campaign_3",
      },
      { hooktrigger: "TALK", queueagentextension: "305", answerextension: "306" },
      {
        hooktrigger: "END",
        dialtime: "2026-02-10 10:30:02",
        duration: "120",
        wasrecorded: "true",
        audio_file_mp3: "https://r.example/a.mp3",
      },
      { hooktrigger: "END", duration: "118" },
      { hooktrigger: "RECORDING", audio_file_mp3: "https://r.example/fresh.mp3" },
    ];
    const received = bodies.map((body, i) => ({
      eventId: randomUUID(),
      receivedAt: new Date(Date.UTC(2026, 1, 10, 13, 31, i % 2)).toISOString(), // ties on purpose
      event: event({ cdrid, ...body }),
    }));
    // Every event three times, all at once, over three workers' memories of the call: saves race on the same row.
    const mapCall = createCampaignMapper(handle.db, {});
    const workers = [createRecentCalls(), createRecentCalls(), createRecentCalls()];
    await Promise.all(
      [...received, ...received, ...received].map((input, i) =>
        mergeEventIntoCall(deps, mapCall, workers[i % 3] as RecentCalls, input),
      ),
    );

    const [call] =
      await handle.sql`select state, campaign_id, operator_id, recording_ready from anura_calls where cdrid = ${cdrid}`;
    expect(call?.state).toEqual(mergeEvents(received));
    expect(call).toMatchObject({ campaign_id: 3, operator_id: 306, recording_ready: true });
    const logs =
      await handle.sql`select sectot, campaign_id, operator_id, call_start_date from call_logs where call_id = ${cdrid}`;
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ sectot: mergeEvents(received).duration, campaign_id: 3, operator_id: 306 });
    const [events] = await handle.sql`select count(*)::int as n from anura_events where cdrid = ${cdrid}`;
    expect(events?.n).toBe(bodies.length);
  });
  it("merge into what they last saved when that is still the call, and into the call as it stands when not", async () => {
    const cdrid = `guess-${randomUUID().slice(0, 8)}`;
    const mapCall = createCampaignMapper(handle.db, {});
    const [a, b] = [createRecentCalls(), createRecentCalls()];
    const at = (second: number) => new Date(Date.UTC(2026, 1, 10, 13, 31, second)).toISOString();
    const received = (second: number, fields: Record<string, unknown>) => ({
      eventId: randomUUID(),
      receivedAt: at(second),
      event: event({ cdrid, ...fields }),
    });
    const start = received(0, {
      hooktrigger: "START",
      dialtime: "2026-02-10 10:30:00",
      calling: "+5491100000002",
      accounttags: "campaign_3",
    });
    const talk = received(1, { hooktrigger: "TALK", queueagentextension: "305", answerextension: "306" });
    const end = received(2, { hooktrigger: "END", duration: "61" });
    const record = (worker: RecentCalls, input: typeof start) => mergeEventIntoCall(deps, mapCall, worker, input);

    expect((await record(a, start)).version).toBe(1);
    expect(a.guess(cdrid)?.version).toBe(1);
    expect((await record(b, talk)).version).toBe(2); // b never saw the call: it reads it, then saves
    // a's memory is one version behind: its first save does not land, and the second keeps TALK's fields.
    const ended = await record(a, end);
    expect(ended.version).toBe(3);
    expect(a.guess(cdrid)?.version).toBe(3);
    const [call] = await handle.sql`select state, operator_id from anura_calls where cdrid = ${cdrid}`;
    expect(call?.state).toMatchObject({ triggers: ["END", "START", "TALK"], duration: 61, queueagentextension: "305" });
    expect(call?.operator_id).toBe(306);
    // A redelivery through a worker whose memory is out of date changes nothing and appends nothing twice.
    const again = await record(b, talk);
    expect(again.version).toBe(3);
    const [events] = await handle.sql`select count(*)::int as n from anura_events where cdrid = ${cdrid}`;
    expect(events?.n).toBe(3);
  });
  it("wait out a transaction holding the call's lock (a download being recorded) instead of deadlocking with it", async () => {
    const { cdrid, record, received } = oneWorkerCall("locked");
    await record(received({ hooktrigger: "START", accounttags: "campaign_3" })); // remembered: END goes in one statement

    let saving: Promise<StoredCall> | undefined;
    await handle.db.transaction(async (tx) => {
      await lockCall(tx, cdrid);
      saving = record(received({ hooktrigger: "END", duration: "42" }));
      await new Promise((resolve) => setTimeout(resolve, 300)); // the save is now waiting on a lock
      await markRecordingStored(tx, cdrid, { key: "k.mp3", fileName: "k.mp3", bytes: 1, sha256: "0", duration: 42 });
    });
    const ended = await saving;
    expect(ended).toMatchObject({ version: 2, recordingStoredAt: expect.any(Date) });
    const [events] = await handle.sql`select count(*)::int as n from anura_events where cdrid = ${cdrid}`;
    expect(events?.n).toBe(2);
  });
  it("keep an event stored even when its save fails for good", async () => {
    const { cdrid, record, received } = oneWorkerCall("unsaveable");
    await record(received({ hooktrigger: "START", accounttags: "campaign_3", answerextension: "306" })); // mapped: it has a call log
    // A duration past the call log's integer column: every attempt of this save fails the same way.
    await expect(record(received({ hooktrigger: "END", duration: "3000000000" }))).rejects.toThrow(/out of range/);
    const events = await handle.sql`select trigger from anura_events where cdrid = ${cdrid} order by trigger`;
    expect(events.map((row) => row.trigger)).toEqual(["END", "START"]);
  });
});

type Received = { eventId: string; receivedAt: string; event: CallEvent };

/**
 * START, TALK and END of `count` calls: the even ones mapped (campaign and operator), the odd ones
 * without a campaign; unless `recovered` is false, the first one recovered from Anura's CDR list (its
 * first event has the CDR id, so the call's source is 'cdr' when that event is the one to create it).
 */
function batchCalls(prefix: string, count: number, { recovered = true } = {}) {
  return Array.from({ length: count }, (_, index) => {
    const cdrid = `${prefix}-${index}-${randomUUID().slice(0, 8)}`;
    const tags = index % 2 === 0 ? "campaign_3" : "sin_campania";
    const at = (second: number) => new Date(Date.UTC(2026, 1, 10, 13, 31, second)).toISOString();
    const bodies = [
      { hooktrigger: "START", dialtime: "2026-02-10 10:30:00", calling: `+54911000010${index}`, accounttags: tags },
      { hooktrigger: "TALK", answerextension: String(300 + index), direction: "inbound" },
      { hooktrigger: "END", dialtime: "2026-02-10 10:30:00", duration: String(60 + index), wasrecorded: "false" },
    ];
    const eventFor = (id: string) => (body: Record<string, unknown>, second: number) => ({
      eventId: recovered && second === 0 && index === 0 ? cdrEventIdFor(id) : randomUUID(),
      receivedAt: at(second),
      event: event({ cdrid: id, ...body }),
    });
    // The same call under another id, merged one event at a time: what the batch must give.
    const twin = `${cdrid}-1by1`;
    return { cdrid, events: bodies.map(eventFor(cdrid)), twin, twinEvents: bodies.map(eventFor(twin)), mapped: index % 2 === 0 };
  });
}

/** A row with the call's and its events' ids replaced, so a call and its twin compare equal when stored alike. */
function withoutIds(row: Record<string, unknown> | undefined, cdrid: string, events: Received[]) {
  let text = JSON.stringify(row ?? null);
  events.forEach(({ eventId }, index) => {
    text = text.replaceAll(eventId, `<event ${index}>`);
  });
  return JSON.parse(text.replaceAll(cdrid, "<cdrid>"));
}

/** Each call's row and call log as its twin's (merged one by one), and its events stored once each. */
async function expectAsOneByOne(calls: ReturnType<typeof batchCalls>) {
  const mapCall = createCampaignMapper(handle.db, {});
  for (const { cdrid, events, twin, twinEvents, mapped } of calls) {
    for (const input of twinEvents) await mergeEventIntoCall(deps, mapCall, createRecentCalls(), input);
    const callOf = (id: string) => handle.sql`
      select state, facts, recording_ready, recording_link_missing, campaign_id, operator_id, unmapped_reason, source, stale_at
      from anura_calls where cdrid = ${id}`;
    const logOf = (id: string) => handle.sql`
      select file_name, url, date, campaign_id, ani_tel, operator_id, direction, call_start_date, call_end_date,
        sectot, log, upload_by from call_logs where call_id = ${id}`;
    const [[call], [twinCall]] = await Promise.all([callOf(cdrid), callOf(twin)]);
    expect(withoutIds(call, cdrid, events), cdrid).toEqual(withoutIds(twinCall, twin, twinEvents));
    expect(call?.state).toEqual(mergeEvents(events));
    const [logs, twinLogs] = await Promise.all([logOf(cdrid), logOf(twin)]);
    expect(logs, cdrid).toHaveLength(mapped ? 1 : 0);
    expect(withoutIds(logs[0], cdrid, events), cdrid).toEqual(withoutIds(twinLogs[0], twin, twinEvents));
    const [stored] = await handle.sql`select count(*)::int as n from anura_events where cdrid = ${cdrid}`;
    expect(stored?.n).toBe(events.length);
  }
}

describe("a batch's events merged with one statement", () => {
  it("give each call and call log what its events merged one by one give, and leave none for one by one", async () => {
    const calls = batchCalls("set", 6);
    const mapCall = createCampaignMapper(handle.db, {});
    const worker = createRecentCalls();
    // Two batches as the ingester makes them: START and TALK of every call (two events of one call in a batch), then the ENDs.
    const first = await mergeEventsIntoCalls(
      deps,
      mapCall,
      worker,
      calls.flatMap(({ events }) => events.slice(0, 2)),
    );
    expect(first.left).toEqual([]);
    expect(first.saved.map(({ call }) => call.version)).toEqual(calls.map(() => 1));
    // A sweep marks one stale meanwhile: the END's save clears it, as a lone END's would.
    await handle.sql`update anura_calls set stale_at = now(), version = version + 1 where cdrid = ${calls[1]?.cdrid ?? ""}`;
    worker.remember({ ...(first.saved[1]?.call as StoredCall), version: 2, staleAt: new Date() });
    const second = await mergeEventsIntoCalls(
      deps,
      mapCall,
      worker,
      calls.map(({ events }) => events[2] as Received),
    );
    expect(second.left).toEqual([]); // each guess was right: saved on the version it remembered
    expect(second.saved.map(({ call }) => call.staleAt)).toEqual(calls.map(() => null));
    await expectAsOneByOne(calls);
    const [recovered] = await handle.sql`select source from anura_calls where cdrid = ${calls[0]?.cdrid ?? ""}`;
    expect(recovered?.source).toBe("cdr");
  });
  it("leave a call whose guess is out of date for one by one, its events already stored, and save the others", async () => {
    const [call, other] = batchCalls("stale", 2) as [ReturnType<typeof batchCalls>[0], ReturnType<typeof batchCalls>[0]];
    const mapCall = createCampaignMapper(handle.db, {});
    const [a, b] = [createRecentCalls(), createRecentCalls()];
    const [start, talk, end] = call.events as [Received, Received, Received];
    await mergeEventsIntoCalls(deps, mapCall, a, [start]);
    await mergeEventIntoCall(deps, mapCall, b, talk); // another worker saved since: a's memory is one version behind
    const { saved, left } = await mergeEventsIntoCalls(deps, mapCall, a, [end, ...other.events]);
    expect(saved.map(({ call: stored }) => stored.cdrid)).toEqual([other.cdrid]);
    expect(left).toEqual([end]);
    expect(a.guess(call.cdrid)?.version).toBe(2); // the call as the statement found it, for the lone merge to start from
    const [stored] = await handle.sql`select count(*)::int as n from anura_events where id = ${end.eventId}`;
    expect(stored?.n).toBe(1);
    await mergeEventIntoCall(deps, mapCall, a, end);
    await expectAsOneByOne([call, other]);
  });
  it("wait for each other on the same calls, updated or inserted, instead of deadlocking, and lose no event", async () => {
    // Each insert of these calls takes 20 ms: a statement that inserted one while another waits on it holds it that long.
    await handle.sql.unsafe(`
      create function slow_call_insert() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.02); return new; end $$;
      create trigger slow_call_insert before insert on anura_calls for each row
        when (new.cdrid like 'locks-%') execute function slow_call_insert();`);
    onTestFinished(async () => {
      await handle.sql.unsafe("drop trigger slow_call_insert on anura_calls; drop function slow_call_insert();");
    });
    const mapCall = createCampaignMapper(handle.db, {});
    for (let round = 0; round < 5; round++) {
      // START comes last for some calls, so it is not always the event that creates them: no CDR source here.
      const calls = batchCalls(`locks-${round}`, 6, { recovered: false });
      const [seen, unseen] = [calls.filter((_, i) => i % 2 === 1), calls.filter((_, i) => i % 2 === 0)];
      // One worker saw every other call (START): it updates those and inserts the rest. Another knows none and
      // inserts all, the first of them (in cdrid order) a new one the first worker inserts too. No event is in
      // both batches, so neither waits for the other's appends.
      const [updater, inserter] = [createRecentCalls(), createRecentCalls()];
      await mergeEventsIntoCalls(
        deps,
        mapCall,
        updater,
        seen.map(({ events }) => events[0] as Received),
      );
      const [talks, ends] = [1, 2].map((stage) => calls.map(({ events }) => events[stage] as Received));
      const [first, second] = await Promise.all([
        mergeEventsIntoCalls(deps, mapCall, updater, talks as Received[]),
        mergeEventsIntoCalls(deps, mapCall, inserter, ends as Received[]),
      ]);
      for (const input of first.left) await mergeEventIntoCall(deps, mapCall, updater, input);
      for (const input of second.left) await mergeEventIntoCall(deps, mapCall, inserter, input);
      for (const { events } of unseen) await mergeEventIntoCall(deps, mapCall, updater, events[0] as Received);
      await expectAsOneByOne(calls);
    }
  });
});

/** A fresh call recorded by one worker: its events, received at the same instant, and the worker's record. */
function oneWorkerCall(prefix: string) {
  const cdrid = `${prefix}-${randomUUID().slice(0, 8)}`;
  const mapCall = createCampaignMapper(handle.db, {});
  const worker = createRecentCalls();
  const receivedAt = new Date(Date.UTC(2026, 1, 10, 13, 31, 0)).toISOString();
  return {
    cdrid,
    received: (fields: Record<string, unknown>) => ({ eventId: randomUUID(), receivedAt, event: event({ cdrid, ...fields }) }),
    record: (input: { eventId: string; receivedAt: string; event: CallEvent }) =>
      mergeEventIntoCall(deps, mapCall, worker, input),
  };
}
