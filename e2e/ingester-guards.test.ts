import { connect } from "node:net";
import { seedEndEvent } from "@anura/testing";
import { describe, expect } from "vitest";
import { sendFrom } from "./send-from.ts";
import { stackTest } from "./support/index.ts";

const it = stackTest({
  worker: false,
  env: { HTTP_HEADERS_TIMEOUT: "1", HTTP_REQUEST_TIMEOUT: "2", PUBLIC_RATE_LIMIT_PER_MINUTE: "3" },
});

/** A webhook whose headers arrive at once and whose body then trickles, a byte every 200 ms: what the server answers, and when. */
function trickledWebhook(port: number, key: string): Promise<{ answer: string; afterMs: number }> {
  const body = JSON.stringify(seedEndEvent("https://r.example/slow.mp3", { wasrecorded: false }));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = "";
    let sent = 0;
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `POST /webhook/anura/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ${key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
    });
    const trickle = setInterval(() => {
      if (sent < body.length - 1 && socket.writable) socket.write(body[sent++] as string); // never the last byte
    }, 200);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => {}); // a reset after the answer is the server closing the connection
    socket.once("close", () => {
      clearInterval(trickle);
      resolve({ answer, afterMs: Date.now() - started });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 20 s; got ${JSON.stringify(answer)}`));
    }, 20_000).unref();
  });
}

describe("the ingester's guards", () => {
  it("answers a request whose body is still arriving after HTTP_REQUEST_TIMEOUT with 408 and closes it", async ({
    stack,
    apiKey,
  }) => {
    const { answer, afterMs } = await trickledWebhook(stack.ingester.port, apiKey);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(afterMs).toBeGreaterThanOrEqual(2000); // the client had its whole 2 s
    const queued = await stack.ingester.deps.queues.queues["call.event"].getJobCounts();
    expect(Object.values(queued).reduce((sum, n) => sum + n, 0)).toBe(0); // half an event is not an event
    expect((await stack.post(seedEndEvent("https://r.example/ok.mp3"), { "X-API-Key": apiKey })).status).toBe(202);
  });

  it("limits /webhook/anura/health per client address, with Retry-After, leaving other clients alone", async ({ stack }) => {
    const health = (from: string) => sendFrom(`${stack.baseUrl}/webhook/anura/health`, { from });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await health("127.0.0.21")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await health("127.0.0.21");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.text).toContain("rate limit of 3 requests per minute");
    expect((await health("127.0.0.22")).status).toBe(200);
  });
});
