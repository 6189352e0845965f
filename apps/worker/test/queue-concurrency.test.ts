import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FetchStack, generateMp3, sendAudio, startFetchStack, waitFor } from "./support.ts";

const CALLS = 6;
const mp3 = generateMp3(2);
let t: FetchStack;

beforeAll(async () => {
  t = await startFetchStack({ env: { RECORDING_FETCH_CONCURRENCY: "3" } });
});
afterAll(() => t?.close());

it("a worker downloads as many recordings at once as RECORDING_FETCH_CONCURRENCY says, no more", async () => {
  const held: ServerResponse[] = [];
  let most = 0;
  for (let index = 0; index < CALLS; index++) {
    const url = t.stack.recordings.route(`/held-${index}.mp3`, (_req, res) => {
      held.push(res);
      most = Math.max(most, held.filter((r) => !r.writableEnded).length);
    });
    await t.postEnd(`held-${index}`, url);
  }
  await waitFor(async () => held.length >= 3, { what: "three downloads in flight" });
  await new Promise((resolve) => setTimeout(resolve, 500)); // a fourth would have started by now
  expect(held.length).toBe(3);
  // Release them one by one: each frees a slot for the next call's download.
  for (let index = 0; index < CALLS; index++) {
    await waitFor(async () => held.length > index, { what: `download ${index + 1} started` });
    sendAudio(held[index] as ServerResponse, mp3);
  }
  for (let index = 0; index < CALLS; index++) await t.settledFetch(`held-${index}`, "completed");
  expect(most).toBe(3);
});
