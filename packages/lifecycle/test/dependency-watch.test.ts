import { connect, createServer, type Server } from "node:net";
import { capturedLog } from "@anura/testing";
import { afterEach, expect, it } from "vitest";
import { watchDependencies } from "../src/dependency-watch.ts";

// The dependency is a real TCP port that a test opens and closes; the check connects to it.
const reachable = (port: number) => () =>
  new Promise<void>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });

async function listen(port = 0): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return server;
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

let stop: (() => void) | undefined;
afterEach(() => stop?.());

it("logs one line per change of state, however many checks fail, and readiness follows the dependency", async () => {
  const probe = await listen();
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve)); // down at start: nothing listens there
  const { log, lines } = capturedLog();
  const watch = watchDependencies(log, { postgres: reachable(port) }, { upIntervalMs: 20, minRetryMs: 5, maxRetryMs: 20 });
  stop = watch.stop;

  await until(() => watch.readiness().dependencies.postgres?.reason === "ECONNREFUSED");
  await new Promise((resolve) => setTimeout(resolve, 300)); // a dozen failed checks
  expect(watch.readiness()).toMatchObject({ ready: false, error: expect.stringContaining("postgres unreachable") });

  const server = await listen(port);
  await until(() => watch.readiness().ready);
  await new Promise((resolve) => server.close(resolve));
  await until(() => !watch.isUp("postgres"));
  const back = await listen(port);
  await until(() => watch.readiness().ready);
  await new Promise((resolve) => back.close(resolve));

  const changes = lines.map((line) => line.msg);
  expect(changes).toEqual([
    "dependency unreachable: retrying with backoff until it answers",
    "dependency reachable",
    "dependency unreachable: retrying with backoff until it answers",
    "dependency reachable",
  ]);
});

it("whenUp resolves once every named dependency has answered", async () => {
  const server = await listen();
  const port = (server.address() as { port: number }).port;
  const { log } = capturedLog();
  const watch = watchDependencies(log, { redis: reachable(port), s3: reachable(port) }, { upIntervalMs: 20 });
  stop = watch.stop;
  await watch.whenUp(["redis", "s3"]);
  expect(watch.readiness().ready).toBe(true);
  await new Promise((resolve) => server.close(resolve));
});
