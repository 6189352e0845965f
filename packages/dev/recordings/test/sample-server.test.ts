import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateMp3, type SampleRecordingServer, sampleRecordingUrl, startSampleRecordingServer } from "../src/index.ts";

let server: SampleRecordingServer;

beforeAll(async () => {
  server = await startSampleRecordingServer();
});
afterAll(() => server?.close());

describe("the sample-recording server", () => {
  it("answers a call's recording as a real MP3 of the asked length", async () => {
    const res = await fetch(sampleRecordingUrl(server.baseUrl, "sim-1", 3));
    const body = Buffer.from(await res.arrayBuffer());

    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/mpeg");
    expect(body.equals(generateMp3(3))).toBe(true);
  });

  it("names the host:port the worker must allow", () => {
    expect(server.host).toBe(new URL(server.baseUrl).host);
    expect(server.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("refuses an impossible length and says which lengths it serves", async () => {
    const res = await fetch(`${server.baseUrl}/recordings/x.mp3?seconds=0`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("whole number from 1 to 600");
  });

  it("answers other paths with 404 and the path it does serve", async () => {
    const res = await fetch(`${server.baseUrl}/elsewhere`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("/recordings/<name>.mp3?seconds=");
  });
});
