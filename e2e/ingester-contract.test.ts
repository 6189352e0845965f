import { revokeApiKey } from "@anura/db";
import { seedEndEvent } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let key: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, env: { API_KEY_CACHE_SECONDS: "0" } });
  key = await stack.createApiKey();
  await stack.createCampaign(1);
});
afterAll(() => stack?.close());

const event = seedEndEvent("https://recordings.example/1.mp3");

describe("webhook authentication", () => {
  it("answers 401 without a key, saying where to put it", async () => {
    const res = await stack.post(event);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/X-API-Key/);
  });

  it("answers 403 for an unknown key and for a revoked one", async () => {
    expect((await stack.post(event, { "X-API-Key": "anura_not-a-real-key" })).status).toBe(403);
    const revoked = await stack.createApiKey();
    expect((await stack.post(event, { "X-API-Key": revoked })).status).toBe(202);
    await revokeApiKey(stack.db, revoked.slice(0, 12));
    const res = await stack.post(event, { "X-API-Key": revoked });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/unknown or revoked/);
  });

  it("accepts the key as Authorization: Bearer", async () => {
    expect((await stack.post(event, { Authorization: `Bearer ${key}` })).status).toBe(202);
  });
});

describe("webhook input errors", () => {
  const auth = () => ({ "X-API-Key": key });

  it("400 for a body that is not JSON, quoting where it broke", async () => {
    const res = await stack.post('{"hooktrigger": "END", "cdrid": }}', { ...auth(), "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/not valid JSON.*position/);
  });

  it("422 listing every missing or wrong field", async () => {
    const res = await stack.post({ duration: "long", dialtime: "yesterday" }, auth());
    expect(res.status).toBe(422);
    const fields = (res.body.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(["cdrid", "dialtime", "duration", "hooktrigger"]);
  });

  it("413 for a body over 64 KiB", async () => {
    const res = await stack.post({ ...event, padding: "x".repeat(70 * 1024) }, auth());
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/larger than 65536 bytes/);
  });

  it("415 for a content type Anura cannot send", async () => {
    const res = await stack.post("<xml/>", { ...auth(), "content-type": "application/xml" });
    expect(res.status).toBe(415);
    expect(res.body.error).toMatch(/application\/json/);
  });
});

describe("helper endpoints", () => {
  it("health says the webhook is ready when events can be queued", async () => {
    const res = await fetch(`${stack.baseUrl}/webhook/anura/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service: "AuditorIA Anura Integration", webhook_ready: true });
  });

  it("test validates without a key and describes what would happen, creating nothing", async () => {
    // What the ingester itself writes for an event: a call.event job, or an inbox row when Redis is down.
    const callEvents = stack.ingester.deps.queues.queues["call.event"];
    const written = async () => ({
      jobs: Object.values(await callEvents.getJobCounts()).reduce((sum, n) => sum + n, 0),
      inbox: (await stack.sql`select count(*)::int as count from webhook_inbox`)[0]?.count,
    });
    const before = await written();
    expect((await stack.post(event, { "X-API-Key": key })).status).toBe(202); // the webhook does write
    const afterWebhook = await written();
    expect(afterWebhook.jobs).toBe(before.jobs + 1);
    const res = await stack.post(event, {}, "/webhook/anura/test");
    expect(res.status).toBe(200);
    expect(res.body.would).toMatchObject({
      trigger: "END",
      call_id: "1234567890",
      has_recording: true,
      campaign: { id: 1, source: "accounttags" },
      operator: { id: 300, source: "queueagentextension" },
    });
    expect(await written()).toEqual(afterWebhook);
  });

  it("test reports validation errors the same way the webhook does", async () => {
    const res = await stack.post({ hooktrigger: "END" }, {}, "/webhook/anura/test");
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/cdrid/);
  });
});
