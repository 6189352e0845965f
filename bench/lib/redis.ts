import { Redis } from "ioredis";
import { type Child, freePort, spawnChild, waitForPort } from "./processes.ts";

export interface BenchRedis {
  url: string;
  child: Child;
  client: Redis;
  /** Empty this Redis (ours alone: never the machine's shared one). */
  flush(): Promise<void>;
  /** Empty only database 0, the one the apps use. */
  flushDb(): Promise<void>;
  /** Swap databases 0 and 1: every client of database 0 sees the other one's keys at once. */
  swapDb(): Promise<void>;
  usedMemory(): Promise<number>;
  /** Calls so far per command (INFO commandstats), to count the Redis work behind each webhook. */
  commandCalls(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** A private redis-server on a free port, nothing persisted, so FLUSHALL touches nobody else. */
export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child = spawnChild("redis-server", "redis-server", [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
  ]);
  await waitForPort(port, child);
  const url = `redis://127.0.0.1:${port}`;
  // No command timeout: flushing a backlog of half a million jobs can take a while.
  const client = new Redis(url, { maxRetriesPerRequest: null });
  await client.ping();
  return {
    url,
    child,
    client,
    async flush() {
      await client.flushall("SYNC");
    },
    async flushDb() {
      await client.flushdb("SYNC");
    },
    async swapDb() {
      await client.swapdb(0, 1);
    },
    async usedMemory() {
      const info = await client.info("memory");
      return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
    },
    async commandCalls() {
      const info = await client.info("commandstats");
      return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1] as string, Number(m[2])]));
    },
    async close() {
      client.disconnect();
      await child.stop();
    },
  };
}

/** Commands run between two commandCalls() readings, most frequent first, leaving out the second reading's own INFO. */
export function commandsBetween(before: Record<string, number>, after: Record<string, number>): [string, number][] {
  return Object.entries(after)
    .map(([command, calls]): [string, number] => [command, calls - (before[command] ?? 0) - (command === "info" ? 1 : 0)])
    .filter(([, calls]) => calls > 0)
    .sort((a, b) => b[1] - a[1]);
}
