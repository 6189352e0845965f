import { connect, type Socket } from "node:net";
import { ingesterSettings, parseEnv } from "@anura/config";
import { startIngester } from "@anura/ingester-app";
import { createLogger } from "@anura/logger";
import { seedEndEvent, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

let stack: Stack;
let key: string;
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: false, env: { HTTP_HEADERS_TIMEOUT: "3", HTTP_REQUEST_TIMEOUT: "5" } });
  key = await stack.createApiKey();
});
afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  for (const socket of sockets) socket.destroy();
  await stack?.close();
});

interface SlowClient {
  closed: () => boolean;
  kind: string;
  bytesWritten: () => number;
}

/**
 * A connection that says nothing (silent), stops after one byte (stalled), or sends its headers one
 * byte every 200 ms (trickle); it tracks whether the server closed it.
 */
function openSlowClient(port: number, kind: "silent" | "stalled" | "trickle"): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const socket = connect(port, "127.0.0.1", () => {
      // A byte also tells a connection the kernel completed but the server never accepted (backlog full) from a held one.
      if (kind === "stalled") socket.write("P");
      if (kind === "trickle") {
        socket.write("POST /webhook/anura/ HTTP/1.1\r\nHost: slow\r\nX-Slow: ");
        timers.push(setInterval(() => socket.writable && socket.write("a"), 200));
      }
      resolve({ closed: () => closed, kind, bytesWritten: () => socket.bytesWritten });
    });
    socket.on("error", () => {}); // reset by the server: what a slow client gets
    socket.on("close", () => (closed = true));
    socket.once("error", reject);
    sockets.push(socket);
  });
}

async function postWebhook(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/webhook/anura/`, {
    method: "POST",
    body: JSON.stringify(seedEndEvent("https://r.example/slow.mp3", { wasrecorded: false })),
    headers: { "X-API-Key": key, "content-type": "application/json" },
    signal: AbortSignal.timeout(15_000), // a generous client deadline, not a latency target
  });
  return res.status;
}

describe("slow and idle clients", () => {
  it("1,000 stalled or trickling connections do not keep a real webhook from its 202, and are cut off by the headers timeout", async () => {
    const port = stack.ingester.port;
    const clients: SlowClient[] = [];
    for (let i = 0; i < 1000; i += 50) {
      clients.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, (_, j) => openSlowClient(port, (i + j) % 2 === 0 ? "trickle" : "stalled")),
        )),
      );
      await new Promise((resolve) => setTimeout(resolve, 20)); // lets the server (same event loop) accept them
    }
    expect(clients.filter((client) => !client.closed())).toHaveLength(1000);

    expect(await postWebhook(port)).toBe(202);

    // 99 %: on a saturated machine the kernel can complete a handshake the server never accepts
    // (its backlog full), leaving the client alone with a connection no server holds.
    const stillOpen = () => clients.filter((client) => !client.closed());
    await waitFor(async () => stillOpen().length <= 10, {
      what: "the server to close the slow connections (HTTP_HEADERS_TIMEOUT=3)",
      timeoutMs: 30_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    if (stillOpen().length > 0) {
      console.log(
        `still open: ${stillOpen()
          .map((c) => `${c.kind} (${c.bytesWritten()} bytes sent)`)
          .join(", ")}`,
      );
    }
    expect(await postWebhook(port)).toBe(202);
  }, 90_000);

  it("past HTTP_MAX_CONNECTIONS new connections are refused, and a webhook gets through once timeouts free the slots", async () => {
    const capped = await startIngester(
      parseEnv(ingesterSettings, {
        ...stack.env,
        HTTP_MAX_CONNECTIONS: "50",
        HTTP_HEADERS_TIMEOUT: "2",
        HTTP_REQUEST_TIMEOUT: "2",
      }),
      createLogger({ name: "capped", level: "silent" }),
    );
    try {
      const clients = await Promise.all(Array.from({ length: 100 }, () => openSlowClient(capped.port, "silent")));
      await waitFor(async () => clients.filter((client) => client.closed()).length >= 50, {
        what: "connections over the cap to be refused",
        timeoutMs: 10_000,
      });
      await expect(postWebhook(capped.port)).rejects.toThrow(/fetch failed/); // the cap holds while they stay
      // 99 of 100, for the reason the test above allows 1 %: CI once saw one client left alone on a loaded machine.
      await waitFor(async () => clients.filter((client) => !client.closed()).length <= 1, {
        what: "the silent connections to be cut off (HTTP_HEADERS_TIMEOUT=2)",
        timeoutMs: 20_000,
      });
      expect(await postWebhook(capped.port)).toBe(202);
    } finally {
      await capped.close();
    }
  }, 60_000);
});
