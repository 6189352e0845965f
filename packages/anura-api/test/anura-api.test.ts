import { type AnuraStandIn, startAnuraStandIn } from "@anura/dev-anura-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type AnuraApi, createAnuraApi, isAnuraApiError } from "../src/index.ts";

const ZONE = "America/Argentina/Buenos_Aires";
const T0 = Date.parse("2026-03-02T13:00:00Z");
let standIn: AnuraStandIn;
let api: AnuraApi;

const window = { from: new Date(T0), to: new Date(T0 + 600_000) };
const connect = (secret = "stand-in-secret") =>
  createAnuraApi({
    tokenUrl: standIn.env.ANURA_TOKEN_URL,
    apiUrl: standIn.env.ANURA_API_URL,
    clientId: "stand-in",
    clientSecret: secret,
    timeZone: ZONE,
    timeoutMs: 500,
  });

beforeAll(async () => {
  standIn = await startAnuraStandIn({ clientId: "stand-in", clientSecret: "stand-in-secret", timeZone: ZONE, hangMs: 2000 });
});
afterAll(() => standIn?.close());
beforeEach(() => {
  standIn.clearCdrs();
  api = connect();
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isAnuraApiError(error)) throw new Error(`expected an AnuraApiError, got ${String(error)}`);
  return error;
}

describe("Anura API adapter against the stand-in", () => {
  it("lists the window's CDRs in webhook terms, cut to the window and deduplicated, with one token", async () => {
    standIn.addCdr({
      id: "c1",
      dialTime: T0 + 1000,
      direction: "IN",
      duration: 60,
      billSeconds: 55,
      status: "ANSWER",
      account: { name: "Ventas", tags: ["campaign_7"] },
    });
    standIn.addCdr({ id: "c2", dialTime: T0 + 599_000, direction: "OUT", duration: 10 });
    standIn.addCdr({ id: "early", dialTime: T0 - 30_000 }); // the same minute as the window's start: cut here
    const listing = await api.listCdrs(window);
    expect(listing.cdrs.map((c) => c.cdrid)).toEqual(["c1", "c2"]);
    expect(listing.cdrs[0]).toMatchObject({
      dialtime: new Date(T0 + 1000).toISOString(),
      endedAt: new Date(T0 + 61_000).toISOString(),
      direction: "inbound",
      billseconds: 55,
      accountname: "Ventas",
      accounttags: "campaign_7",
    });
    await api.listCdrs(window);
    expect(api.tokens.fetched()).toBe(1);
  });

  it("reports a row without an id instead of inventing one", async () => {
    standIn.addCdr({ id: "ok", dialTime: T0 + 1000 });
    standIn.addCdr({ id: "noid", dialTime: T0 + 3000, withoutId: true });
    standIn.addCdr({ id: "late", dialTime: Number.NaN });
    const listing = await api.listCdrs(window);
    expect(listing.cdrs.map((c) => c.cdrid)).toEqual(["ok"]);
    expect(listing.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/without an id/),
      expect.stringMatching(/late without a readable dialTime/),
    ]);
  });

  it("gets a new token once Anura rejects the cached one, and says nothing of it in errors", async () => {
    await api.listCdrs(window);
    standIn.expireTokens();
    await api.listCdrs(window);
    expect(api.tokens.fetched()).toBe(2);
    const wrong = await failure(connect("wrong-secret").listCdrs(window));
    expect(wrong.kind).toBe("auth");
    expect(wrong.message).toMatch(/ANURA_API_CLIENT_SECRET/);
    expect(wrong.message).not.toContain("wrong-secret");
  });

  it("turns bad answers into errors that say what was wrong", async () => {
    standIn.injectFaults("http500");
    expect((await failure(api.listCdrs(window))).message).toMatch(/HTTP 500/);
    standIn.injectFaults("malformed");
    expect((await failure(api.listCdrs(window))).kind).toBe("malformed");
    standIn.injectFaults("shape");
    expect((await failure(api.listCdrs(window))).message).toMatch(/expected an array of CDRs/);
    standIn.injectFaults("timeout");
    expect((await failure(api.listCdrs(window))).kind).toBe("timeout");
    standIn.goDown(60_000);
    expect((await failure(api.listCdrs(window))).status).toBe(503);
    standIn.comeBack();
  });

  it("reads a CDR's recording link, and says why when there is none", async () => {
    standIn.addCdr({ id: "rec", dialTime: T0, recordingUrl: "http://127.0.0.1:9/rec.mp3" });
    standIn.addCdr({ id: "none", dialTime: T0 });
    expect(await api.recordingLink("rec")).toEqual({ url: "http://127.0.0.1:9/rec.mp3" });
    expect(await api.recordingLink("none")).toMatchObject({ url: null, reason: expect.stringMatching(/404/) });
  });
});
