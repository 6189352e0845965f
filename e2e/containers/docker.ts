// What the container test needs from Docker: an engine (started here if none runs, and then stopped
// here), docker-compose for one project, bounded waits, and the logs to show when a wait times out.
import { spawn } from "node:child_process";
import { openSync } from "node:fs";

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, or kills it after timeoutMs; never throws. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs / 1000} s)`;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.once("error", (error) => (stderr += String(error)));
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Like run, but a non-zero exit throws with the command's own output. */
export async function mustRun(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs: number }) {
  const result = await run(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${tail(result.stderr || result.stdout, 30)}`);
  }
  return result.stdout;
}

export const tail = (text: string, lines: number) => text.trimEnd().split("\n").slice(-lines).join("\n");

/** Polls until check returns a value (not undefined/false), or throws after timeoutMs saying what it waited for. */
export async function waitUntil<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = ` (last error: ${(error as Error).message})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError}`);
}

/** A Docker engine for the test: the running one, or a dockerd started here and stopped by stop(). */
export async function ensureDockerd(logFile: string): Promise<{ startedHere: boolean; stop(): Promise<void> }> {
  const info = await run("docker", ["info"], { timeoutMs: 30_000 });
  if (info.status === 0) return { startedHere: false, stop: async () => {} };
  if (/permission denied/i.test(info.stderr)) {
    throw new Error(
      "docker info: permission denied on the Docker socket: run the test as root or as a member of the docker group",
    );
  }
  const log = openSync(logFile, "a");
  const dockerd = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
  const exited = new Promise<void>((resolve) => dockerd.once("exit", () => resolve()));
  dockerd.unref();
  await waitUntil(
    "dockerd to answer `docker info`",
    60_000,
    async () => (await run("docker", ["info"], { timeoutMs: 10_000 })).status === 0,
  );
  return {
    startedHere: true,
    async stop() {
      dockerd.kill("SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 30_000))]);
      if (!stopped) dockerd.kill("SIGKILL");
    },
  };
}

/** docker-compose for one project: its files, and the env file it reads for the compose file's ${…}. */
export function composeProject(project: string, files: string[], envFile: string, env: NodeJS.ProcessEnv) {
  const base = ["-p", project, "--env-file", envFile, ...files.flatMap((file) => ["-f", file])];
  const compose = (args: string[], timeoutMs: number) => mustRun("docker-compose", [...base, ...args], { env, timeoutMs });
  const anonymousVolumes = new Set<string>(); // left behind by `down` without -v: removed by removeAll
  return {
    compose,
    /** `down` keeping the named volumes, as after a reboot or an upgrade: the next `up` makes new containers. */
    async downKeepingVolumes() {
      for (const id of (await compose(["ps", "-q"], 30_000)).split("\n").filter(Boolean)) {
        const names = await inspect(id, '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}');
        for (const name of names.split(" ")) if (/^[0-9a-f]{64}$/.test(name)) anonymousVolumes.add(name);
      }
      await compose(["down"], 180_000);
    },
    /** Removes the project's containers, networks and volumes, and what earlier `down`s left. */
    async removeAll() {
      await compose(["down", "-v", "--remove-orphans", "-t", "60"], 180_000);
      if (anonymousVolumes.size > 0) await run("docker", ["volume", "rm", ...anonymousVolumes], { timeoutMs: 60_000 });
    },
    async containerId(service: string) {
      const id = (await compose(["ps", "-q", service], 30_000)).trim();
      if (!id) throw new Error(`no container for ${service}`);
      return id;
    },
    /** The host address:port a container port is published on (127.0.0.1 only, by the test's env). */
    async published(service: string, port: number) {
      const address = (await compose(["port", service, String(port)], 30_000)).trim();
      if (!address.startsWith("127.0.0.1:")) throw new Error(`${service}:${port} is published on "${address}", not 127.0.0.1`);
      return address;
    },
    async logs(services: string[] = [], lines = 40) {
      const result = await run("docker-compose", [...base, "logs", "--no-color", `--tail=${lines}`, ...services], {
        env,
        timeoutMs: 60_000,
      });
      return result.stdout + result.stderr;
    },
  };
}

export async function inspect(id: string, format: string): Promise<string> {
  return (await mustRun("docker", ["inspect", "-f", format, id], { timeoutMs: 30_000 })).trim();
}
