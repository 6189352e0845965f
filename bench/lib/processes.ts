export { freePort } from "@anura/testing";

import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last few KB the child printed, for error messages. */
  output(): string;
  exited(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();

// Last line of defence: whatever happens to the bench, no child outlives it.
process.on("exit", () => {
  for (const child of running) child.process.kill("SIGKILL");
});

export interface SpawnOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Extra flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Open an IPC channel (for the bench's own helper children). */
  ipc?: boolean;
}

export function spawnNode(name: string, script: string, options: SpawnOptions = {}): Child {
  return spawnChild(name, process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], options);
}

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const proc = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-8000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  let hasExited = false;
  const exit = new Promise<void>((resolve) => {
    proc.once("exit", () => {
      hasExited = true;
      running.delete(child);
      resolve();
    });
  });
  const child: Child = {
    name,
    pid: proc.pid,
    process: proc,
    output: () => tail,
    exited: () => hasExited,
    async stop(graceMs = 10_000) {
      if (hasExited) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  running.add(child);
  return child;
}

/** Stop every child still running (in reverse start order). */
export async function stopAll(): Promise<void> {
  for (const child of [...running].reverse()) await child.stop(5000);
}

/** Wait until `port` accepts connections; fail at once if the child dies first. */
export async function waitForPort(port: number, child: Child, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${child.name} exited before listening on ${port}:\n${child.output()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${child.name} did not listen on ${port} within ${timeoutMs} ms:\n${child.output()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const TICK_MS = 10; // Linux USER_HZ is 100 on every mainstream kernel config

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident memory now and its peak so far (VmHWM), in bytes. */
export function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}
