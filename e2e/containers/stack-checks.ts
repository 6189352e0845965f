// The container test's checks, in order, against one compose project: fresh volumes up, one call,
// the monitoring path, a clean stop, and the call still there after the next `up`.
import { type composeProject, inspect, mustRun, waitUntil } from "./docker.ts";

type Stack = ReturnType<typeof composeProject>;
export interface Secrets {
  postgres: string;
  app: string;
  dashboardUser: string;
  dashboard: string;
}
export interface Context {
  check(name: string, body: () => Promise<void>): Promise<boolean>;
  say(line: string): void;
  secrets: Secrets;
}

const APPS = ["ingester", "worker", "dashboard"] as const;
const GRACE_SECONDS = 40; // the apps' stop_grace_period in docker-compose.yml

export async function runStackChecks(stack: Stack, { check, say, secrets }: Context) {
  const { compose } = stack;
  const healthy = (when: string) =>
    waitUntil(`${APPS.join(", ")} to turn healthy ${when}`, 8 * 60_000, async () => {
      for (const service of APPS)
        if ((await inspect(await stack.containerId(service), "{{.State.Health.Status}}")) !== "healthy") return false;
      return true;
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await stack.logs()}`);
    });
  const sql = async (query: string) =>
    (await compose(["exec", "-T", "postgres", "psql", "-U", "anura", "-d", "auditoria", "-At", "-c", query], 60_000)).trim();

  if (!(await check("the image builds from the Dockerfile on those bases", () => compose(["build"], 30 * 60_000).then(() => {}))))
    return;
  say("docker-compose up -d on fresh volumes");
  const up = await check(
    "on fresh volumes Postgres initialises, migrate succeeds at its first attempt, and ingester, worker and dashboard turn healthy",
    async () => {
      await compose(["up", "-d"], 10 * 60_000);
      await healthy("after the first `up`");
      const migrate = await stack.containerId("migrate");
      const exit = await inspect(migrate, "{{.State.ExitCode}}");
      const log = await stack.logs(["migrate"], 200);
      if (exit !== "0" || /ECONNREFUSED|error/i.test(log)) throw new Error(`migrate exited ${exit}:\n${log}`);
    },
  );
  if (!up) return;

  let call: PlayedCall | undefined;
  await check("simulate-call through the published ingester port plays a call until its task is pending", async () => {
    call = await playCall(stack, secrets);
    say(`task ${call.taskId} is pending for call ${call.cdrid}`);
  });

  await check("`docker-compose run --rm cli` reaches the database (api-keys list shows simulate-call's key)", async () => {
    const keys = await compose(["run", "--rm", "cli", "api-keys", "list"], 180_000);
    if (!keys.includes("simulate-call")) throw new Error(`api-keys list printed:\n${keys}`);
  });

  await check("the dashboard answers its login on the published port and counts requests for AnuraHttp5xx", async () => {
    const base = `http://${await stack.published("dashboard", 8002)}`;
    const login = `Basic ${Buffer.from(`${secrets.dashboardUser}:${secrets.dashboard}`).toString("base64")}`;
    const page = await fetch(`${base}/`, { headers: { Authorization: login } });
    if (page.status !== 200) throw new Error(`GET / with the login answered ${page.status}`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    if (!metrics.includes('anura_http_requests_total{route="/",status="200"}'))
      throw new Error(`no request counter in:\n${metrics.slice(0, 500)}`);
  });

  await check(
    "Prometheus scrapes the three apps (the dashboard's request counter included) and has found Alertmanager",
    async () => {
      const prometheus = `http://${await stack.published("prometheus", 9090)}/api/v1`;
      const api = async <T>(path: string) => ((await (await fetch(`${prometheus}/${path}`)).json()) as { data: T }).data;
      await waitUntil("all three scrape targets up", 120_000, async () => {
        const { activeTargets } = await api<{ activeTargets: { labels: { job: string }; health: string }[] }>("targets");
        return activeTargets.length === 3 && activeTargets.every((target) => target.health === "up");
      });
      // The counter has a series once the dashboard has answered a request: the next scrape brings it.
      const query = `query?query=${encodeURIComponent('anura_http_requests_total{job="anura-dashboard"}')}`;
      await waitUntil("the dashboard's anura_http_requests_total in Prometheus", 60_000, async () => {
        return (await api<{ result: unknown[] }>(query)).result.length > 0;
      });
      await waitUntil("Prometheus to discover alertmanager:9093", 60_000, async () => {
        const { activeAlertmanagers } = await api<{ activeAlertmanagers: { url: string }[] }>("alertmanagers");
        return activeAlertmanagers.some((alertmanager) => alertmanager.url.includes("alertmanager:9093"));
      });
    },
  );

  say("docker-compose stop");
  const stopStarted = Date.now();
  await compose(["stop"], 5 * 60_000);
  say(`everything stopped in ${((Date.now() - stopStarted) / 1000).toFixed(1)} s`);
  for (const service of APPS) {
    await check(`${service} stops cleanly within its ${GRACE_SECONDS} s grace (exit 0, "stopped cleanly" logged)`, async () => {
      const id = await stack.containerId(service);
      const [exit, finishedAt] = (await inspect(id, "{{.State.ExitCode}} {{.State.FinishedAt}}")).split(" ");
      const log = await mustRun("docker", ["logs", "--tail", "20", id], { timeoutMs: 30_000 }).catch((e: Error) => e.message);
      const seconds = (Date.parse(finishedAt as string) - stopStarted) / 1000;
      if (exit !== "0" || !log.includes("stopped cleanly") || seconds > GRACE_SECONDS) {
        throw new Error(`exit ${exit} after ${seconds.toFixed(1)} s; its log ends:\n${log}`);
      }
      say(`${service} exited 0, ${seconds.toFixed(1)} s after the stop began`);
    });
  }

  // New containers on the same volumes (`up` alone would restart the old ones, whose anonymous
  // volumes compose keeps): what survives is what the named volumes hold.
  say("docker-compose down (keeping the volumes), then up -d");
  await stack.downKeepingVolumes();
  const again = await check(
    "with new containers on the same volumes ingester, worker and dashboard turn healthy again",
    async () => {
      await compose(["up", "-d"], 10 * 60_000);
      await healthy("after the second `up`");
    },
  );
  if (!again) return;
  await check("the call, its recording and its task are still there", async () => {
    if (!call) throw new Error("no call was played before the restart");
    const played = call;
    const logged = await sql(`select count(*) from call_logs where call_id = '${played.cdrid}'`);
    const stored = await sql(
      `select recording_key from anura_calls where cdrid = '${played.cdrid}' and recording_stored_at is not null`,
    );
    const task = await sql(`select status from tasks where uuid = '${played.taskId}'`);
    if (logged !== "1" || !stored || task !== "pending")
      throw new Error(`call_logs ${logged}, recording "${stored}", task "${task}"`);
    const size = await objectSize(stack, stored);
    if (!(size > 0)) throw new Error(`the bucket has no object at ${stored}`);
    say(
      `call_logs row, recording ${stored} (${size} bytes in the bucket) and task ${played.taskId} (pending) survived the restart`,
    );
  });

  // A shipped rule end to end: Prometheus raises it, Alertmanager routes it to ALERT_WEBHOOK_URL.
  await check("with the worker stopped, AnuraWorkerNotReady fires and reaches the ALERT_WEBHOOK_URL receiver", async () => {
    await compose(["stop", "worker"], 120_000);
    const receiver = `http://${await stack.published("alert-receiver", 9099)}/received`;
    await waitUntil("AnuraWorkerNotReady at the receiver (a scrape, `for: 2m`, then group_wait 30 s)", 6 * 60_000, async () =>
      JSON.stringify(await (await fetch(receiver)).json()).includes('"alertname":"AnuraWorkerNotReady"'),
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await stack.logs(["prometheus", "alertmanager", "alert-receiver"], 20)}`);
    });
  });
}

export interface PlayedCall {
  cdrid: string;
  taskId: string;
}

/** `pnpm cli simulate-call` from this host, to the ingester's published port, waiting on the published Postgres. */
export async function playCall(stack: Stack, secrets: Secrets): Promise<PlayedCall> {
  const cdrid = `ctest-${Date.now().toString(36)}`;
  const ingester = await stack.published("ingester", 8001);
  const postgres = await stack.published("postgres", 5432);
  const output = await mustRun(
    process.execPath,
    [
      "apps/cli/src/main.ts",
      "simulate-call",
      ...["--cdrid", cdrid, "--url", `http://${ingester}`, "--timeout", "120"],
      ...["--recording-url", `http://sample-recordings:9002/recordings/${cdrid}.mp3?seconds=5`],
    ],
    {
      // Only what the CLI needs: nothing of this machine's own .env or DATABASE_URL.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: `postgres://anura:${secrets.app}@${postgres}/auditoria`,
      },
      timeoutMs: 180_000,
    },
  );
  const taskId = output.trim().split("\n").at(-1) ?? "";
  if (!/^[0-9a-f-]{36}$/.test(taskId)) throw new Error(`simulate-call printed no task id:\n${output}`);
  return { cdrid, taskId };
}

/** The object's size, asked by the worker's own minio client with the worker's own S3 key. */
async function objectSize(stack: Stack, key: string): Promise<number> {
  const script = `import { Client } from "minio";
const u = new URL(process.env.S3_ENDPOINT);
const c = new Client({ endPoint: u.hostname, port: Number(u.port), useSSL: false, accessKey: process.env.S3_ACCESS_KEY,
  secretKey: process.env.S3_SECRET_KEY, region: process.env.S3_REGION, pathStyle: true });
console.log((await c.statObject(process.env.S3_BUCKET, ${JSON.stringify(key)})).size);`;
  const out = await stack.compose(
    ["exec", "-T", "-w", "/app/packages/storage", "worker", "node", "--input-type=module", "-e", script],
    60_000,
  );
  return Number(out.trim());
}
