import { taskIdFor } from "@anura/call-domain";
import { generateMp3, waitFor } from "@anura/testing";
import { describe, expect } from "vitest";
import { type Stack, stackTest } from "./support/index.ts";

const it = stackTest({}, (stack) => stack.createCampaign(4));
const mp3 = generateMp3(2);

const ORDERS = [
  ["START", "TALK", "END"],
  ["START", "END", "TALK"],
  ["TALK", "START", "END"],
  ["TALK", "END", "START"],
  ["END", "START", "TALK"],
  ["END", "TALK", "START"],
];

function eventsFor(cdrid: string, recordingUrl: string): Record<string, object> {
  const common = { cdrid, direction: "inbound", calling: "+5491100000077", accounttags: "campaign_4" };
  return {
    START: { ...common, hooktrigger: "START", dialtime: "2026-02-10 10:30:00" },
    TALK: { ...common, hooktrigger: "talk", dialtime: "2026-02-10 10:30:00", queueagentextension: "310" },
    END: {
      ...common,
      hooktrigger: "END",
      dialtime: "2026-02-10 10:30:00",
      duration: "95",
      wasrecorded: "true",
      audio_file_mp3: recordingUrl,
    },
  };
}

async function endState(stack: Stack, cdrid: string) {
  const [log] = await stack.sql`
    select file_name, campaign_id, operator_id, ani_tel, direction, call_start_date, call_end_date, sectot, url
    from call_logs where call_id = ${cdrid}`;
  const [counts] = await stack.sql`
    select (select count(*) from tasks where uuid = ${taskIdFor(cdrid)})::int as tasks,
           (select count(*) from call_logs where call_id = ${cdrid})::int as logs`;
  return {
    log: { ...log, file_name: String(log?.file_name).replace(cdrid, "<cdrid>"), url: String(log?.url).replace(cdrid, "<cdrid>") },
    counts,
  };
}

describe("events in any order, duplicated, through the real pipeline", () => {
  it("all six orders of START/TALK/END, each event sent twice, give one identical call log and exactly one task", async ({
    stack,
    apiKey: key,
  }) => {
    const states = [];
    for (const [i, order] of ORDERS.entries()) {
      const cdrid = `order-${i}`;
      const events = eventsFor(cdrid, stack.recordings.serve(`/rec/${cdrid}.mp3`, mp3));
      for (const trigger of [...order, ...order]) {
        expect((await stack.post(events[trigger] as object, { "X-API-Key": key })).status).toBe(202);
      }
      await waitFor(async () => (await stack.sql`select 1 from tasks where uuid = ${taskIdFor(cdrid)}`).length > 0, {
        what: `task for ${cdrid}`,
      });
      await waitFor(
        async () => {
          const [row] = await stack.sql`select count(*)::int as n from anura_events where cdrid = ${cdrid}`;
          return row?.n === 6;
        },
        { what: `all events of ${cdrid} recorded` },
      );
      await waitFor(
        async () => (await stack.sql`select 1 from call_logs where call_id = ${cdrid} and operator_id = 310`).length > 0,
        { what: "operator from TALK" },
      );
      states.push(await endState(stack, cdrid));
      expect(stack.recordings.hitsFor(`/rec/${cdrid}.mp3`)).toBe(1);
    }
    expect(states[0]).toMatchObject({
      log: {
        campaign_id: 4,
        operator_id: 310,
        direction: "inbound",
        ani_tel: "+5491100000077",
        sectot: 95,
        file_name: "anura_<cdrid>.mp3",
        url: "anura/anura_<cdrid>.mp3",
      },
      counts: { tasks: 1, logs: 1 },
    });
    for (const state of states) expect(state).toEqual(states[0]);
  });
});
