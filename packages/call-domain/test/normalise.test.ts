import { describe, expect, it } from "vitest";
import { callEventSchema, localMinute, normaliseEvent, parseBody, parseDialtime } from "../src/index.ts";
import { fixture, renderVarsFixture } from "./fixtures.ts";

const TZ = "America/Argentina/Buenos_Aires";
const base = { hooktrigger: "END", cdrid: "1" };

describe("coercion", () => {
  it.each([
    [120, 120],
    ["120", 120],
    ["120.0", 120],
    [" 45 ", 45],
    ["", null],
    [null, null],
  ])("duration %j becomes %j", (raw, expected) => {
    const result = normaliseEvent({ ...base, duration: raw }, TZ);
    expect(result.ok && result.event.duration).toBe(expected);
  });

  it.each([
    [true, true],
    ["true", true],
    ["1", true],
    [1, true],
    ["si", true],
    ["SI", true],
    ["yes", true],
    [false, false],
    ["false", false],
    ["0", false],
    [0, false],
    ["no", false],
    ["", null],
  ])("wasrecorded %j becomes %j", (raw, expected) => {
    const result = normaliseEvent({ ...base, wasrecorded: raw }, TZ);
    expect(result.ok && result.event.wasrecorded).toBe(expected);
  });

  it("trims text and turns blanks into null, and accepts a numeric cdrid", () => {
    const result = normaliseEvent({ hooktrigger: " end ", cdrid: 1234567890, direction: " Inbound ", calling: "  " }, TZ);
    expect(result).toMatchObject({
      ok: true,
      event: { trigger: "END", cdrid: "1234567890", direction: "inbound", calling: null },
    });
  });

  it("keeps unknown fields, never rejecting them", () => {
    const result = normaliseEvent({ ...base, queuewaittime: "12", custom3: "x", nested: { a: 1 } }, TZ);
    expect(result.ok && result.event.extra).toEqual({ queuewaittime: "12", custom3: "x", nested: { a: 1 } });
  });

  it("keeps unknown fields named like object properties, and matches field names whatever their case", () => {
    const fields = JSON.parse('{"HookTrigger":"END","CDRID":"77","constructor":"c","toString":"t","__proto__":"p"}');
    const result = normaliseEvent(fields, TZ);
    expect(result.ok && result.event.cdrid).toBe("77");
    expect(result.ok && JSON.parse(JSON.stringify(result.event.extra))).toEqual(
      JSON.parse('{"constructor":"c","tostring":"t","__proto__":"p"}'),
    );
  });
});

describe("required fields and wrong types", () => {
  it("lists every wrong field at once", () => {
    const result = normaliseEvent({ cdrid: "", duration: "two minutes", wasrecorded: "maybe", dialtime: "ayer" }, TZ);
    expect(result.ok).toBe(false);
    const fields = !result.ok ? result.issues.map((i) => i.field).sort() : [];
    expect(fields).toEqual(["cdrid", "dialtime", "duration", "hooktrigger", "wasrecorded"]);
  });

  it("refuses a cdrid longer than AuditorIA's call_id column", () => {
    const result = normaliseEvent({ ...base, cdrid: "x".repeat(37) }, TZ);
    expect(!result.ok && result.issues[0]).toMatchObject({ field: "cdrid", message: "longer than 36 characters" });
  });
});

describe("dialtime", () => {
  it.each([
    ["2026-02-10 10:30:00", "2026-02-10T13:30:00.000Z"],
    ["2026-02-10T10:30:00", "2026-02-10T13:30:00.000Z"],
    ["2026-02-10 10:30:00.5", "2026-02-10T13:30:00.500Z"],
    ["10/02/2026 10:30:00", "2026-02-10T13:30:00.000Z"],
    ["2026-02-10T10:30:00Z", "2026-02-10T10:30:00.000Z"],
    ["2026-02-10T10:30:00.123-03:00", "2026-02-10T13:30:00.123Z"],
    ["2026-02-10T10:30:00+0100", "2026-02-10T09:30:00.000Z"],
  ])("%s is stored as %s", (raw, utc) => {
    expect(parseDialtime(raw, TZ)?.toISOString()).toBe(utc);
  });

  it("applies the configured zone, including its daylight-saving offset", () => {
    expect(parseDialtime("2026-07-01 12:00:00", "Europe/Madrid")?.toISOString()).toBe("2026-07-01T10:00:00.000Z");
    expect(parseDialtime("2026-01-01 12:00:00", "Europe/Madrid")?.toISOString()).toBe("2026-01-01T11:00:00.000Z");
  });

  it.each(["2026-02-31 10:00:00", "2026-13-01 10:00:00", "31/02/2026 10:00:00", "tomorrow", "2026-02-10 25:00:00"])(
    "%s is rejected",
    (raw) => expect(parseDialtime(raw, TZ)).toBeNull(),
  );

  it.each([
    ["2026-02-10T13:30:59.999Z", TZ, "2026-02-10 10:30"],
    ["2026-02-10T03:05:00Z", TZ, "2026-02-10 00:05"],
    ["2026-07-01T10:00:00Z", "Europe/Madrid", "2026-07-01 12:00"],
    ["2026-01-01T11:00:00Z", "Europe/Madrid", "2026-01-01 12:00"],
  ])("%s is %s's wall-clock minute %s, as Anura's API takes dates", (utc, zone, local) => {
    expect(localMinute(new Date(utc), zone)).toBe(local);
  });
});

describe("dialtime across daylight-saving changes", () => {
  it.each([
    // Newfoundland (UTC-3:30 / -2:30) switches at 02:00 local, half-way through a UTC hour.
    ["2026-03-08 01:59:00", "America/St_Johns", "2026-03-08T05:29:00.000Z"],
    ["2026-03-08 03:00:00", "America/St_Johns", "2026-03-08T05:30:00.000Z"],
    ["2026-03-29 01:59:59", "Europe/Madrid", "2026-03-29T00:59:59.000Z"],
    ["2026-03-29 03:00:00", "Europe/Madrid", "2026-03-29T01:00:00.000Z"],
  ])("%s in %s is %s", (raw, zone, utc) => {
    expect(parseDialtime(raw, zone)?.toISOString()).toBe(utc);
  });
});

describe("the normalised event is the call.event payload as is", () => {
  // The ingester queues what normaliseEvent returns without parsing it again: this is what makes that safe.
  it.each([
    ["the seed template, answered END", renderVarsFixture("end-answered.vars.json")],
    ["the seed template, unanswered END", renderVarsFixture("end-unanswered.vars.json")],
    ["the seed template, ringing START", renderVarsFixture("start-ringing.vars.json")],
    ["a RECORDING event", fixture("recording.json")],
    [
      "strings for numbers and booleans, unknown fields",
      '{"HookTrigger":"talk","cdrid":" 7 ","duration":"12.0","wasrecorded":"si","x":{"y":1}}',
    ],
    ["the bare minimum", '{"hooktrigger":"ORIGINATE","cdrid":"1"}'],
  ])("%s passes the job's schema unchanged", async (_label, raw) => {
    const body = await parseBody(raw, "application/json");
    if (!body.ok) throw new Error(body.error);
    const result = normaliseEvent(body.fields, TZ);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(callEventSchema.parse(result.event)).toEqual(result.event);
  });
});
