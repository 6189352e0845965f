import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createIngesterApp, receiveWebhook } from "@anura/ingester-app";
import { seedEndEvent } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

const LIMIT = 2;
let stack: Stack;
let expressOnly: Server;
let expressUrl: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, env: { WEBHOOK_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  // The same deps and handler as the running ingester, without its fast path in front.
  const deps = stack.ingester.deps;
  expressOnly = createServer(createIngesterApp(deps, receiveWebhook(deps)));
  await new Promise<void>((resolve) => expressOnly.listen(0, "127.0.0.1", resolve));
  expressUrl = `http://127.0.0.1:${(expressOnly.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => expressOnly?.close(resolve));
  await stack?.close();
});

const event = seedEndEvent("https://r.example/paths.mp3", { wasrecorded: false });
const json = { "content-type": "application/json" };
type Case = { body: string; headers: Record<string, string>; before?: number };
const CASES: Record<number, (key: string) => Case> = {
  202: (key) => ({ body: JSON.stringify(event), headers: { ...json, "X-API-Key": key } }),
  400: (key) => ({ body: '{"hooktrigger": "END", "cdrid": }}', headers: { ...json, "X-API-Key": key } }),
  401: () => ({ body: JSON.stringify(event), headers: json }),
  403: () => ({ body: JSON.stringify(event), headers: { ...json, "X-API-Key": "anura_unknown-key" } }),
  413: (key) => ({ body: JSON.stringify({ ...event, pad: "x".repeat(70 * 1024) }), headers: { ...json, "X-API-Key": key } }),
  415: (key) => ({ body: "<xml/>", headers: { "content-type": "application/xml", "X-API-Key": key } }),
  422: (key) => ({ body: JSON.stringify({ duration: "long" }), headers: { ...json, "X-API-Key": key } }),
  429: (key) => ({ body: JSON.stringify(event), headers: { ...json, "X-API-Key": key }, before: LIMIT }),
};

/** Send one case with a fresh key (so no case spends another's rate limit); the last answer counts. */
async function answer(baseUrl: string, make: (key: string) => Case) {
  const request = make(await stack.createApiKey());
  let res: Response | undefined;
  for (let i = 0; i <= (request.before ?? 0); i++) {
    res = await fetch(`${baseUrl}/webhook/anura/`, { method: "POST", body: request.body, headers: request.headers });
    if (i < (request.before ?? 0)) await res.arrayBuffer();
  }
  const final = res as Response;
  const body = (await final.json()) as Record<string, unknown>;
  delete body.event_id; // a new uuid per accepted event
  return {
    status: final.status,
    body,
    contentType: final.headers.get("content-type"),
    // Header names, not values (dates, rate-limit resets): a header added by Express middleware alone shows here.
    headers: [...final.headers.keys()].filter((name) => name !== "date").sort(),
  };
}

describe("the webhook's fast path and its Express route answer alike", () => {
  it.each(Object.keys(CASES).map(Number))("%i: same status, body and headers on both paths", async (status) => {
    const make = CASES[status] as (key: string) => Case;
    const fast = await answer(stack.baseUrl, make);
    const viaExpress = await answer(expressUrl, make);
    expect(fast.status).toBe(status);
    expect(viaExpress).toEqual(fast);
  });
});
