import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { waitFor } from "./wait-for.ts";

/** A free TCP port on loopback, for servers that cannot listen on port 0 themselves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Redis of the test's own, so stopping it never disturbs the machine's shared one. */
export async function startRedisServer(options: { appendOnly?: boolean; dir?: string } = {}) {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const args = ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", options.appendOnly ? "yes" : "no"];
  if (options.dir) args.push("--dir", options.dir);
  const ping = async () => {
    const { Redis } = await import("ioredis");
    const client = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {}); // a refused connection while starting is expected; waitFor retries
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } finally {
      client.disconnect();
    }
  };
  const server = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn("redis-server", args, { stdio: "ignore" });
      await waitFor(ping, { what: `redis-server on ${port}`, timeoutMs: 10_000 });
    },
    async stop() {
      if (!child) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      child = null;
    },
  };
  await server.start();
  return server;
}
