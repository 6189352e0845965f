import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Behaviour, type FetchStack, generateMp3, RecordingServer, startFetchStack } from "./support.ts";

const mp3 = generateMp3(3);
const redirect =
  (location: string): Behaviour =>
  (_req, res) => {
    res.writeHead(302, { location }).end();
  };

/** A refused URL fails on its first attempt, with the refusal as the reason, before any connection. */
async function expectRefused(t: FetchStack, cdrid: string, reason: string | RegExp) {
  const started = Date.now();
  const job = await t.settledFetch(cdrid, "failed");
  if (typeof reason === "string") expect(job.failedReason).toBe(reason);
  else expect(job.failedReason).toMatch(reason);
  expect(job.attemptsMade).toBe(1);
  expect(Date.now() - started).toBeLessThan(2000); // far below RECORDING_CONNECT_TIMEOUT: nothing was dialled
  expect(await t.taskCount(cdrid)).toBe(0);
}

describe("with RECORDING_ALLOWED_HOSTS set to the recording host", () => {
  let t: FetchStack;
  let other: RecordingServer;
  beforeAll(async () => {
    t = await startFetchStack();
    other = await new RecordingServer().start();
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it("follows redirects within the allowed host, up to 3", async () => {
    const { recordings } = t.stack;
    recordings.serve("/final.mp3", mp3);
    recordings.route("/hop2", redirect("/final.mp3"));
    recordings.route("/hop1", redirect("/hop2"));
    await t.postEnd("hops", recordings.route("/hop0", redirect("/hop1")));
    await t.settledFetch("hops", "completed");
    expect(recordings.hitsFor("/final.mp3")).toBe(1);
  });

  it("refuses a fourth redirect as a loop", async () => {
    const { recordings } = t.stack;
    recordings.route("/loop", redirect("/loop"));
    await t.postEnd("loop", `${recordings.baseUrl}/loop`);
    await expectRefused(t, "loop", /^recording URL redirected more than 3 times/);
    expect(recordings.hitsFor("/loop")).toBe(4);
  });

  it("refuses a redirect to a loopback port that is not listed, without requesting it", async () => {
    const target = other.serve("/internal.mp3", mp3);
    await t.postEnd("to-other-port", t.stack.recordings.route("/to-other-port", redirect(target)));
    await expectRefused(t, "to-other-port", `recording host ${other.host} is not in RECORDING_ALLOWED_HOSTS`);
    expect(other.hitsFor("/internal.mp3")).toBe(0);
  });

  it("refuses a redirect to the same server under another name (localhost)", async () => {
    const { recordings } = t.stack;
    recordings.serve("/by-name.mp3", mp3);
    const target = `http://localhost:${new URL(recordings.baseUrl).port}/by-name.mp3`;
    await t.postEnd("to-localhost", recordings.route("/to-localhost", redirect(target)));
    await expectRefused(t, "to-localhost", /^recording host localhost:\d+ is not in RECORDING_ALLOWED_HOSTS$/);
    expect(recordings.hitsFor("/by-name.mp3")).toBe(0);
  });

  it("refuses a redirect to the cloud metadata address before any connection", async () => {
    const target = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
    await t.postEnd("to-metadata", t.stack.recordings.route("/to-metadata", redirect(target)));
    await expectRefused(t, "to-metadata", "recording host 169.254.169.254:80 is not in RECORDING_ALLOWED_HOSTS");
  });

  it.each([
    ["file", "file:///etc/passwd"],
    ["gopher", "gopher://127.0.0.1:6379/_FLUSHALL"],
  ])("refuses a %s: recording URL", async (scheme, url) => {
    await t.postEnd(`scheme-${scheme}`, url);
    await expectRefused(t, `scheme-${scheme}`, `recording URL scheme ${scheme}: is not allowed: only http and https`);
  });

  it("refuses a redirect to a file: URL", async () => {
    await t.postEnd("to-file", t.stack.recordings.route("/to-file", redirect("file:///etc/passwd")));
    await expectRefused(t, "to-file", "recording URL redirected to a scheme that is not allowed: only http and https");
  });
});

describe("without RECORDING_ALLOWED_HOSTS only public addresses are reachable", () => {
  let t: FetchStack;
  beforeAll(async () => {
    t = await startFetchStack({ env: { RECORDING_ALLOWED_HOSTS: "" } });
  });
  afterAll(() => t?.close());

  it.each([
    ["loopback", "loopback-ip", (port: string) => `http://127.0.0.1:${port}/r.mp3`],
    ["loopback", "mapped-ip", (port: string) => `http://[::ffff:127.0.0.1]:${port}/r.mp3`],
    ["loopback", "decimal-ip", (port: string) => `http://2130706433:${port}/r.mp3`],
    ["linkLocal", "metadata", () => "http://169.254.169.254/latest/meta-data/"],
    ["carrierGradeNat", "cgnat", () => "http://100.64.0.1/r.mp3"],
    ["private", "rfc1918", () => "http://10.0.0.1/r.mp3"],
  ])("refuses a %s address (%s) without sending a request", async (range, cdrid, url) => {
    t.stack.recordings.serve("/r.mp3", mp3);
    await t.postEnd(cdrid, url(new URL(t.stack.recordings.baseUrl).port));
    await expectRefused(t, cdrid, `recording address is ${range}, not public: allow it in RECORDING_ALLOWED_HOSTS if intended`);
    expect(t.stack.recordings.hitsFor("/r.mp3")).toBe(0);
  });

  it("checks the address a hostname resolves to, so localhost is refused too", async () => {
    t.stack.recordings.serve("/by-name.mp3", mp3);
    await t.postEnd("by-name", `http://localhost:${new URL(t.stack.recordings.baseUrl).port}/by-name.mp3`);
    await expectRefused(t, "by-name", /^recording address is loopback, not public/);
    expect(t.stack.recordings.hitsFor("/by-name.mp3")).toBe(0);
  });
});
