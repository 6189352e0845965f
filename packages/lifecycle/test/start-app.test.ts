import { request } from "node:http";
import { ingesterSettings, parseEnv } from "@anura/config";
import { ADMIN_DATABASE_URL, capturedLog, TEST_REDIS_URL, uniquePrefix } from "@anura/testing";
import { Gauge } from "prom-client";
import { expect, it } from "vitest";
import { metricsHandler } from "../src/metrics.ts";
import { startAppBase } from "../src/start-app.ts";

const settings = () =>
  parseEnv(ingesterSettings, {
    DATABASE_URL: ADMIN_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniquePrefix("app-base"),
  });

/** GET over a keep-alive connection, as Prometheus and load balancers hold them. */
function get(port: number, path: string, agentOptions: { keepAlive?: boolean } = {}) {
  return new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path, headers: agentOptions.keepAlive ? { connection: "keep-alive" } : {} });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on("error", reject);
    req.end();
  });
}

it("logs one listening line, and close() drains a request in flight before Postgres and Redis close", async () => {
  const { log, lines } = capturedLog();
  const app = await startAppBase(settings(), log, { waitForRedis: true });
  let release: () => void = () => {};
  const server = await app.serve(
    (_req, res) => {
      release = () => res.end("done");
    },
    { port: 0, host: "127.0.0.1" },
    (where) => `test listening at ${where}/`,
  );
  expect(lines.filter((line) => String(line.msg).includes("listening"))).toEqual([
    expect.objectContaining({ msg: `test listening at http://127.0.0.1:${server.port}/`, port: server.port }),
  ]);

  const inFlight = get(server.port, "/slow", { keepAlive: true });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const order: string[] = [];
  const closed = app.close(server.stop, async () => {
    // The app's own drain still has both stores, as the ingester's last inbox relay needs them.
    order.push(`drain: ${(await app.sql`select 1 as one`)[0]?.one} ${await app.redis.ping()}`);
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(order).toEqual([]); // the request in flight holds the server's stop, so the drain waits
  release();
  await closed;
  expect(order).toEqual(["drain: 1 PONG"]);
  expect((await inFlight).body).toBe("done");
  expect((await inFlight).connection).toBe("close");
  await expect(app.sql`select 1`).rejects.toThrow();
  await expect(app.redis.ping()).rejects.toThrow();
});

it("/metrics answers 500 naming a gauge that cannot be collected, and keeps serving", async () => {
  const { log } = capturedLog();
  const app = await startAppBase(settings(), log);
  let failing = true;
  new Gauge({
    name: "test_flaky",
    help: "a gauge whose store is down",
    registers: [app.registry],
    collect() {
      if (failing) throw new Error("store down");
      this.set(1);
    },
  });
  const server = await app.serve(metricsHandler(app.registry), { port: 0, host: "127.0.0.1" });
  const broken = await get(server.port, "/metrics");
  expect(broken.status).toBe(500);
  expect(JSON.parse(broken.body)).toEqual({ error: "metrics unavailable: store down" });
  failing = false;
  const text = (await get(server.port, "/metrics")).body;
  expect(text).toContain("test_flaky 1");
  expect(text).toContain("process_cpu_seconds_total"); // the process's default series, in every app
  await app.close(server.stop);
});
