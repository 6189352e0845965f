import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FetchStack, generateMp3, sendAudio, startFetchStack } from "./support.ts";

const TOKEN = "s3cret-token-value";
let t: FetchStack;
const mp3 = generateMp3(3);
const bigMp3 = generateMp3(60); // about 120 KB, over the 100 KB limit below

beforeAll(async () => {
  t = await startFetchStack({
    env: {
      RECORDING_MAX_BYTES: "100000",
      RECORDING_RETRY_HORIZON: "2",
      ANURA_RECORDING_AUTH: `X-Anura-Token: ${TOKEN}`,
      RECORDING_ALLOWED_HOSTS: "127.0.0.1,localhost", // localhost: another origin on the same server
    },
  });
});
afterAll(() => t?.close());

/** Nothing was stored for the call under any audio extension, and no task exists. */
async function expectNothingStored(cdrid: string) {
  for (const extension of ["mp3", "wav", "ogg"])
    expect(await t.stack.store.exists(`anura/anura_${cdrid}.${extension}`)).toBe(false);
  expect((await t.callRow(cdrid))?.recording_stored_at).toBeNull();
  expect(await t.taskCount(cdrid)).toBe(0);
}

describe("what retrying cannot fix fails at once, visibly, with a reason an operator can act on", () => {
  it("an HTML page served with 200 is not audio", async () => {
    const page = `<!doctype html><html><head><title>Iniciar sesión</title></head><body>${"<p>login</p>".repeat(200)}</body></html>`;
    const url = t.stack.recordings.serve("/login.mp3", Buffer.from(page), "text/html");
    await t.postEnd("html", url);
    const job = await t.settledFetch("html", "failed");
    expect(job.failedReason).toMatch(/^recording is not audio \(starts with "<!doctype ht"\)/);
    expect(job.attemptsMade).toBe(1);
    expect(t.stack.recordings.hitsFor("/login.mp3")).toBe(1);
    await expectNothingStored("html");
  });

  it("a 403 even with ANURA_RECORDING_AUTH says the link expired or needs credentials, and Bull Board's retry works", async () => {
    const seen: IncomingHttpHeaders[] = [];
    let expired = true;
    const url = t.stack.recordings.route("/expired.mp3", (req, res) => {
      seen.push(req.headers);
      if (expired) res.writeHead(403).end("Forbidden");
      else sendAudio(res, mp3);
    });
    await t.postEnd("expired", `${url}?signature=abc123`);
    const job = await t.settledFetch("expired", "failed");
    expect(job.failedReason).toBe(
      "recording host answered 403: the link expired or needs credentials (set ANURA_RECORDING_AUTH), then retry",
    );
    expect(seen.map((headers) => headers["x-anura-token"])).toEqual([undefined, TOKEN]);
    await expectNothingStored("expired");

    expired = false;
    await job.retry("failed"); // what the Retry button in Bull Board does
    await t.settledFetch("expired", "completed");
    expect((await t.callRow("expired"))?.recording_key).toBe("anura/anura_expired.mp3");
  });

  it("sends ANURA_RECORDING_AUTH only to a host that asks for it, and never logs it or the URL's query", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const url = t.stack.recordings.route("/private.mp3", (req, res) => {
      seen.push(req.headers);
      if (req.headers["x-anura-token"] !== TOKEN) res.writeHead(401, { "www-authenticate": "Token" }).end();
      else sendAudio(res, mp3);
    });
    const openSeen: IncomingHttpHeaders[] = [];
    const open = t.stack.recordings.route("/open.mp3", (req, res) => {
      openSeen.push(req.headers);
      sendAudio(res, mp3);
    });
    await Promise.all([t.postEnd("auth", `${url}?sig=QUERYSECRET`), t.postEnd("no-auth", open)]);
    await Promise.all([t.settledFetch("auth", "completed"), t.settledFetch("no-auth", "completed")]);
    expect(seen.map((headers) => headers["x-anura-token"])).toEqual([undefined, TOKEN]);
    expect(openSeen.map((headers) => headers["x-anura-token"])).toEqual([undefined]);

    const logged = t.logs.join("");
    expect(logged).toContain('"msg":"recording stored"');
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain("QUERYSECRET");
    expect(logged).not.toContain("abc123");
    expect(logged).not.toContain("5491167950079"); // the caller's number
  });

  it("does not pass ANURA_RECORDING_AUTH on when the host redirects elsewhere", async () => {
    const cdnSeen: IncomingHttpHeaders[] = [];
    const cdn = `http://localhost:${new URL(t.stack.recordings.baseUrl).port}/cdn/handoff.mp3`;
    t.stack.recordings.route("/cdn/handoff.mp3", (req, res) => {
      cdnSeen.push(req.headers);
      sendAudio(res, mp3);
    });
    const url = t.stack.recordings.route("/handoff.mp3", (req, res) => {
      if (req.headers["x-anura-token"] !== TOKEN) res.writeHead(401).end();
      else res.writeHead(302, { location: cdn }).end();
    });
    await t.postEnd("handoff", url);
    await t.settledFetch("handoff", "completed");
    expect(cdnSeen).toHaveLength(1);
    expect(cdnSeen[0]?.["x-anura-token"]).toBeUndefined();
  });

  it.each([400, 410, 451])("a %i is not a downloadable recording", async (status) => {
    const path = `/gone-${status}.mp3`;
    const url = t.stack.recordings.route(path, (_req, res) => void res.writeHead(status).end());
    await t.postEnd(`gone-${status}`, url);
    const job = await t.settledFetch(`gone-${status}`, "failed");
    expect(job.failedReason).toBe(`recording host answered ${status}: the URL is not a downloadable recording`);
    expect(t.stack.recordings.hitsFor(path)).toBe(1);
  });
});

describe("RECORDING_MAX_BYTES", () => {
  it("refuses a recording whose Content-Length is over the limit before reading it", async () => {
    const url = t.stack.recordings.serve("/big.mp3", bigMp3);
    await t.postEnd("big", url);
    const job = await t.settledFetch("big", "failed");
    expect(job.failedReason).toBe(`recording is ${bigMp3.length} bytes, larger than RECORDING_MAX_BYTES (100000 bytes)`);
    await expectNothingStored("big");
  });

  it("stops a recording of undeclared length as soon as it passes the limit, storing nothing", async () => {
    const url = t.stack.recordings.route("/big-chunked.mp3", async (_req, res) => {
      res.writeHead(200, { "content-type": "audio/mpeg" }); // chunked: no Content-Length
      for (let offset = 0; offset < bigMp3.length && !res.destroyed; offset += 8192) {
        res.write(bigMp3.subarray(offset, offset + 8192));
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    });
    await t.postEnd("big-chunked", url);
    const job = await t.settledFetch("big-chunked", "failed");
    expect(job.failedReason).toBe("recording is larger than RECORDING_MAX_BYTES (100000 bytes)");
    await expectNothingStored("big-chunked");
  });
});

describe("RECORDING_RETRY_HORIZON", () => {
  it("gives up on a recording that never appears, unrecoverably, saying why", async () => {
    const url = t.stack.recordings.route("/never.mp3", (_req, res) => void res.writeHead(404).end());
    const posted = Date.now();
    await t.postEnd("never", url);
    const job = await t.settledFetch("never", "failed");
    expect(job.failedReason).toBe(
      "gave up after 2 s (RECORDING_RETRY_HORIZON): recording host answered 404: not ready yet or failing",
    );
    expect(t.stack.recordings.hitsFor("/never.mp3")).toBeGreaterThanOrEqual(3);
    expect(Date.now() - posted).toBeLessThan(4000);
    await expectNothingStored("never");
  });
});
