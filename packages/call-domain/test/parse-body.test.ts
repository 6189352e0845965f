import { describe, expect, it } from "vitest";
import { normaliseEvent, parseBody } from "../src/index.ts";
import { fixture, renderVarsFixture } from "./fixtures.ts";

const TZ = "America/Argentina/Buenos_Aires";

async function parse(body: string, contentType?: string) {
  const parsed = await parseBody(body, contentType);
  if (!parsed.ok) throw new Error(`${parsed.status}: ${parsed.error}`);
  const result = normaliseEvent(parsed.fields, TZ);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe("bodies Anura sends, in every encoding", () => {
  it.each([
    ["application/json", "application/json"],
    ["application/json with charset", "application/json; charset=utf-8"],
    ["text/plain (sniffed)", "text/plain"],
    ["no content type (sniffed)", undefined],
  ])("the seed template as %s", async (_label, contentType) => {
    const event = await parse(renderVarsFixture("end-answered.vars.json"), contentType);
    expect(event).toMatchObject({
      trigger: "END",
      cdrid: "1700000001.4521",
      dialtime: "2026-02-10T13:30:00.000Z",
      duration: 120,
      billseconds: 112,
      price: 0.35,
      wasrecorded: true,
      accounttags: "ventas, campaign_7",
      queueagentextension: "305",
      hookid: "17",
      tenantid: "12",
    });
  });

  it.each([
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
    ["text/plain (sniffed)", "text/plain"],
  ])("URL-encoded pairs as %s", async (_label, contentType) => {
    const event = await parse(fixture("end.urlencoded.txt").trim(), contentType);
    expect(event).toMatchObject({
      trigger: "END",
      cdrid: "1700000003.9",
      duration: 120,
      wasrecorded: true,
      answerextension: "310",
      queueagentextension: null,
    });
    expect(event.extra).toEqual({ queueid: "5", queuename: "Soporte" });
  });

  it("multipart/form-data fields, with a day-first dialtime", async () => {
    const event = await parse(fixture("talk.multipart.txt"), "multipart/form-data; boundary=XyZ");
    expect(event).toMatchObject({
      trigger: "TALK",
      cdrid: "1700000004.1",
      dialtime: "2026-02-10T13:30:00.000Z",
      queueagentname: "Maria 204 turno tarde",
    });
  });
});

describe("the seed template rendered with empty variables", () => {
  it('repairs `"duration": ,`, `"price": ,` and a trailing `{{ accountid }}` into nulls', async () => {
    const event = await parse(renderVarsFixture("start-ringing.vars.json", { hookid: "", accountid: "" }), "application/json");
    expect(event).toMatchObject({
      trigger: "START",
      duration: null,
      billseconds: null,
      price: null,
      wasrecorded: null,
      hookid: null,
      accountid: null,
    });
    expect(event.recordingUrl).toBeNull();
    expect(event.queueagentextension).toBeNull(); // "" means not provided
  });

  it("never touches text inside strings that looks like an empty value", async () => {
    const body = '{"hooktrigger": "END", "cdrid": "7", "hookname": "a: , b: }", "duration": }';
    expect(await parse(body, "application/json")).toMatchObject({ duration: null, extra: {} });
    const parsed = await parseBody(body, "application/json");
    expect(parsed.ok && parsed.fields.hookname).toBe("a: , b: }");
  });

  it("answers 400 quoting the position when the body is still not JSON after the repair", async () => {
    const parsed = await parseBody('{"hooktrigger": "END", "cdrid": "7" "duration": 3}', "application/json");
    expect(parsed).toMatchObject({ ok: false, status: 400 });
    expect(!parsed.ok && parsed.error).toMatch(/position 36/);
  });

  it.each([
    ["an array", "[1,2]"],
    ["a string", '"END"'],
    ["an empty body", ""],
  ])("answers 400 for %s", async (_label, body) => {
    expect(await parseBody(body, "application/json")).toMatchObject({ ok: false, status: 400 });
  });

  it("answers 415 for content types Anura cannot be configured to send", async () => {
    expect(await parseBody("<a/>", "application/xml")).toMatchObject({ ok: false, status: 415 });
  });

  it("answers 400 for plain text that is neither JSON nor key=value pairs", async () => {
    expect(await parseBody("hello there", "text/plain")).toMatchObject({ ok: false, status: 400 });
  });
});

describe("triggers", () => {
  it.each([
    ["end", "END"],
    ["Talk", "TALK"],
    ["Recording", "RECORDING"],
    ["originate", "ORIGINATE"],
    ["HOLD", "HOLD"],
  ])("%s is accepted as %s", async (raw, trigger) => {
    expect((await parse(JSON.stringify({ hooktrigger: raw, cdrid: "1" }))).trigger).toBe(trigger);
  });

  it("a RECORDING event keeps unknown fields and reads a numeric wasrecorded", async () => {
    const event = await parse(fixture("recording.json"), "application/json");
    expect(event).toMatchObject({ trigger: "RECORDING", wasrecorded: true, dialtime: "2026-02-10T13:30:00.250Z" });
    expect(event.extra).toEqual({ custom1: "crm-991", hooktags: "auditoria" });
  });
});

describe("nesting", () => {
  it("keeps a little nesting in unknown fields but refuses deep nesting with 400", async () => {
    const shallow = await parseBody(
      JSON.stringify({ hooktrigger: "END", cdrid: "1", meta: { a: { b: [1] } } }),
      "application/json",
    );
    expect(shallow.ok).toBe(true);
    const deep = await parseBody(`{"hooktrigger":"END","cdrid":"1","x":${"[".repeat(50)}${"]".repeat(50)}}`, "application/json");
    expect(deep).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/nested deeper than 8/) });
  });
});
