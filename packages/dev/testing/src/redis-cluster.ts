import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { freePort } from "./redis-server.ts";
import { waitFor } from "./wait-for.ts";

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  alive: boolean;
  /** A plain connection to this node alone (commands about other nodes' slots answer MOVED). */
  client(): Redis;
}

/** A cluster node also listens on port + 10000 (its bus), so the port must leave room for it. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && !taken.has(port) && !taken.has(port + 10_000)) return port;
  }
}

/**
 * A real Redis Cluster of the test's own on loopback: `masters` masters with one replica each
 * (`redis-server --cluster-enabled`, then `redis-cli --cluster create`). A short node timeout makes a
 * replica take over within seconds of its master's death. stop() kills every node and removes its files.
 */
export async function startRedisCluster(options: { masters?: number; nodeTimeoutMs?: number } = {}) {
  const count = (options.masters ?? 3) * 2;
  const dir = await mkdtemp(join(tmpdir(), "anura-cluster-"));
  const taken = new Set<number>();
  const processes = new Map<number, ChildProcess>();
  const clients: Redis[] = [];
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freeClusterPort(taken);
    taken.add(port).add(port + 10_000);
    const child = spawn(
      "redis-server",
      [
        ...["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir],
        ...["--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`)],
        ...["--cluster-node-timeout", String(options.nodeTimeoutMs ?? 2000), "--repl-diskless-sync-delay", "0"],
      ],
      { stdio: "ignore" },
    );
    processes.set(port, child);
    const node: ClusterNode = {
      port,
      alive: true,
      client() {
        const client = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
        client.on("error", () => {});
        clients.push(client);
        return client;
      },
    };
    child.once("exit", () => (node.alive = false));
    nodes.push(node);
  }
  const cluster = {
    nodes,
    /** REDIS_CLUSTER_NODES for the apps: every node as a seed. */
    seeds: nodes.map((node) => `127.0.0.1:${node.port}`).join(","),
    /** The port of the master serving `slot` now, as a live node sees the cluster. */
    async masterOf(slot: number): Promise<number> {
      const live = nodes.find((node) => node.alive);
      if (!live) throw new Error("no cluster node alive");
      const ranges = (await ask(live, "CLUSTER", "SLOTS")) as Array<[number, number, [string, number, string]]>;
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no node serves slot ${slot}`);
      return range[2][1];
    },
    async slotOf(key: string): Promise<number> {
      return Number(await ask(nodes[0] as ClusterNode, "CLUSTER", "KEYSLOT", key));
    },
    /** kill -9 of one node: no goodbye to the cluster, as when a host dies. */
    async kill(port: number): Promise<void> {
      const child = processes.get(port);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    /** Every live master's port and its INFO commandstats calls, summed over commands. */
    async commandsPerMaster(): Promise<Map<number, number>> {
      const counts = new Map<number, number>();
      for (const node of nodes.filter((n) => n.alive)) {
        const role = String(await ask(node, "ROLE"));
        if (!role.startsWith("master")) continue;
        const stats = String(await ask(node, "INFO", "commandstats"));
        const calls = [...stats.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
        counts.set(node.port, calls);
      }
      return counts;
    },
    async resetStats(): Promise<void> {
      for (const node of nodes.filter((n) => n.alive)) await ask(node, "CONFIG", "RESETSTAT");
    },
    async stop(): Promise<void> {
      for (const client of clients) client.disconnect();
      await Promise.all(nodes.map((node) => cluster.kill(node.port)));
      await rm(dir, { recursive: true, force: true });
    },
  };
  const connections = new Map<number, Redis>();
  async function ask(node: ClusterNode, ...command: [string, ...string[]]): Promise<unknown> {
    let client = connections.get(node.port);
    if (!client || client.status === "end") {
      client = node.client();
      connections.set(node.port, client);
    }
    if (client.status === "wait") await client.connect();
    return client.call(...command);
  }
  try {
    for (const node of nodes) {
      await waitFor(async () => (await ask(node, "PING").catch(() => null)) === "PONG", {
        what: `cluster node on ${node.port}`,
        timeoutMs: 10_000,
      });
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"], {
      timeout: 30_000,
    });
    await waitFor(
      async () => {
        for (const node of nodes) {
          const info = String(await ask(node, "CLUSTER", "INFO"));
          if (!info.includes("cluster_state:ok") || !info.includes(`cluster_known_nodes:${count}`)) return false;
        }
        return true;
      },
      { what: "cluster state ok on every node", timeoutMs: 30_000 },
    );
    // A replica that has not finished its first sync cannot take over: wait until each one has.
    await waitFor(
      async () => {
        for (const node of nodes) {
          const info = String(await ask(node, "INFO", "replication"));
          if (info.includes("role:slave") && !info.includes("master_link_status:up")) return false;
        }
        return true;
      },
      { what: "every replica in sync with its master", timeoutMs: 30_000 },
    );
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

export type RedisCluster = Awaited<ReturnType<typeof startRedisCluster>>;
