import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { freePort } from "./redis-server.ts";
import { testEnv } from "./test-env.ts";
import { waitFor } from "./wait-for.ts";

const { PGBOUNCER_PATH } = testEnv;

export interface PgBouncer {
  port: number;
  /** `databaseUrl` with its host and port replaced by this PgBouncer's. */
  urlFor(databaseUrl: string): string;
  /** Queries and transactions PgBouncer has passed to Postgres for `database`, since it started. */
  stats(database: string): Promise<{ queries: number; transactions: number }>;
  /** What PgBouncer logged so far (connections, errors). */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A PgBouncer of the test's own on a free loopback port, in front of the Postgres of `databaseUrl`, for
 * every database name on it. Transaction pooling by default: each transaction may get another server
 * connection, as with most managed Postgres poolers. PgBouncer refuses to run as root, so as root it
 * drops to `postgres`, in a directory that user can write.
 */
export async function startPgBouncer(
  databaseUrl: string,
  options: { poolMode?: "transaction" | "session"; poolSize?: number } = {},
): Promise<PgBouncer> {
  const target = new URL(databaseUrl);
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "anura-pgbouncer-"));
  await chmod(dir, 0o777);
  const logFile = join(dir, "pgbouncer.log");
  const ini = [
    "[databases]",
    `* = host=${target.hostname} port=${target.port || 5432} user=${decodeURIComponent(target.username) || "postgres"}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "auth_type = any",
    `pool_mode = ${options.poolMode ?? "transaction"}`,
    `default_pool_size = ${options.poolSize ?? 8}`,
    "max_client_conn = 500",
    // Its admin console (database "pgbouncer") answers SHOW STATS to this user.
    `stats_users = ${decodeURIComponent(target.username) || "postgres"}`,
    `logfile = ${logFile}`,
    `pidfile = ${join(dir, "pgbouncer.pid")}`,
  ].join("\n");
  const iniFile = join(dir, "pgbouncer.ini");
  await writeFile(iniFile, `${ini}\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_PATH, asRoot ? ["-u", "postgres", iniFile] : [iniFile], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => (stderr += chunk));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (error) => reject(new Error(`cannot run ${PGBOUNCER_PATH} (install pgbouncer): ${error.message}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const urlFor = (url: string) => {
    const through = new URL(url);
    through.hostname = "127.0.0.1";
    through.port = String(port);
    return through.toString();
  };
  const stop = async () => {
    if (!gone) child.kill("SIGKILL");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await spawned;
    await waitFor(
      async () => {
        if (gone) throw new Error(`pgbouncer exited: ${stderr}${await readFile(logFile, "utf8").catch(() => "")}`);
        const probe = postgres(urlFor(databaseUrl), { max: 1, prepare: false, connect_timeout: 2, onnotice: () => {} });
        try {
          await probe`select 1`;
          return true;
        } catch {
          return false;
        } finally {
          await probe.end({ timeout: 1 });
        }
      },
      { what: `pgbouncer on ${port}`, timeoutMs: 15_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const stats = async (database: string) => {
    const admin = new URL(urlFor(databaseUrl));
    admin.pathname = "/pgbouncer";
    // The admin console speaks only the simple protocol, and has no pg_type to read.
    const console = postgres(admin.toString(), { max: 1, fetch_types: false, onnotice: () => {} });
    try {
      const rows = await console.unsafe("SHOW STATS");
      const row = rows.find((r) => r.database === database);
      return { queries: Number(row?.total_query_count ?? 0), transactions: Number(row?.total_xact_count ?? 0) };
    } finally {
      await console.end({ timeout: 1 });
    }
  };
  return { port, urlFor, stats, log: () => readFile(logFile, "utf8").catch(() => ""), stop };
}
