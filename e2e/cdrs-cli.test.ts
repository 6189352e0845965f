import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { taskIdFor } from "@anura/call-domain";
import { type AnuraStandIn, startAnuraStandIn } from "@anura/dev-anura-api";
import { generateMp3, waitFor } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./support/index.ts";

// `pnpm cli cdrs reconcile` against the stand-in (the worker itself has no API credentials here, so
// only the CLI reconciles), and `pnpm cli cdrs check --csv` on an export shaped like Anura's panel's.

let stack: Stack;
let standIn: AnuraStandIn;
let dir: string;
const run = promisify(execFile);
const HOUR = 3_600_000;
const since = new Date(Date.now() - 4 * HOUR);
const until = new Date(since.getTime() + 3 * HOUR);
const logged: string[] = [];

beforeAll(async () => {
  standIn = await startAnuraStandIn({ clientId: "cli-client", clientSecret: "cli-secret" });
  const logTo = new PassThrough();
  logTo.on("data", (chunk: Buffer) => logged.push(chunk.toString()));
  stack = await startStack({ logTo, env: { ANURA_DEFAULT_CAMPAIGN_ID: "1", ANURA_DEFAULT_OPERATOR_ID: "300" } });
  await stack.createCampaign(1, "Ventas");
  dir = await mkdtemp(join(tmpdir(), "cdrs-cli-"));
});
afterAll(async () => {
  await stack?.close();
  await standIn?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}) {
  const childEnv = { PATH: process.env.PATH ?? "", ...stack.env, ...standIn.env, ANURA_CDR_SETTLE_SECONDS: "1", ...env };
  return run(process.execPath, ["apps/cli/src/main.ts", ...args], { env: childEnv }).catch(
    (error: { stdout: string; stderr: string; code: number }) => ({
      stdout: error.stdout,
      stderr: error.stderr,
      code: error.code,
    }),
  );
}

describe("pnpm cli cdrs reconcile", () => {
  it("(the worker here has no API credentials: it says once that reconciliation is off, and does not consume cdr.reconcile)", () => {
    const lines = logged
      .join("")
      .split("\n")
      .filter((line) => line.includes("reconciliation with Anura's CDR list is off"));
    expect(lines).toHaveLength(1);
    expect(stack.worker?.workers.map((w) => w.name)).not.toContain("cdr.reconcile");
  });

  it("a dry run says what it would recover, window by window, and queues nothing", async () => {
    const mp3Url = stack.recordings.serve("/recordings/backfill-1.mp3", generateMp3(1));
    // Two hours apart: two windows of at most an hour each.
    standIn.addCdr({
      id: "backfill-1",
      dialTime: since.getTime() + 10 * 60_000,
      status: "ANSWER",
      duration: 30,
      billSeconds: 28,
      recordingUrl: mp3Url,
    });
    standIn.addCdr({
      id: "backfill-2",
      dialTime: since.getTime() + 130 * 60_000,
      status: "NOANSWER",
      duration: 15,
      billSeconds: 0,
    });
    const { stdout } = await cli([
      "cdrs",
      "reconcile",
      "--since",
      since.toISOString(),
      "--until",
      until.toISOString(),
      "--dry-run",
    ]);
    expect(stdout).toMatch(/\[1\/3\] .*: 1 listed, 0 already stored, 1 would be recovered/);
    expect(stdout).toMatch(/\[3\/3\] .*: 1 listed, 0 already stored, 1 would be recovered/);
    expect(stdout).toContain("backfill-1: new call");
    expect(stdout).toMatch(/done: 2 CDR\(s\) in 3 window\(s\).*\(dry run: nothing queued\)/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stack.sql`select cdrid from anura_calls where cdrid like 'backfill-%'`).toHaveLength(0);
    expect(standIn.stats.links).toBe(0);
  });

  it("recovers the calls we lack; the worker makes their call logs and tasks; a second run changes nothing", async () => {
    const { stdout } = await cli(["cdrs", "reconcile", "--since", since.toISOString(), "--until", until.toISOString()]);
    expect(stdout).toContain("backfill-1: new call; recording link found");
    expect(stdout).toContain("backfill-2: new call; recording not answered");
    expect(stdout).toMatch(/done: 2 CDR\(s\) in 3 window\(s\), 0 already stored, 2 recovered/);
    await waitFor(async () => (await stack.sql`select 1 from tasks where uuid = ${taskIdFor("backfill-1")}`).length === 1, {
      what: "task",
    });
    await waitFor(async () => (await stack.sql`select 1 from call_logs where call_id = 'backfill-2'`).length === 1, {
      what: "call log",
    });
    const calls = await stack.sql<
      { cdrid: string; source: string }[]
    >`select cdrid, source from anura_calls where cdrid like 'backfill-%' order by cdrid`;
    expect(calls).toEqual([
      { cdrid: "backfill-1", source: "cdr" },
      { cdrid: "backfill-2", source: "cdr" },
    ]);
    const again = await cli(["cdrs", "reconcile", "--since", since.toISOString(), "--until", until.toISOString()]);
    expect(again.stdout).toMatch(/done: 2 CDR\(s\) in 3 window\(s\), 2 already stored, 0 recovered/);
    const windows = await stack.sql`select 1 from anura_cdr_windows where kind = 'backfill' and status = 'done'`;
    expect(windows).toHaveLength(6);
  });

  it("without API credentials, says which to set and that the CSV check needs none", async () => {
    const result = await cli(["cdrs", "reconcile", "--since", since.toISOString()], {
      ANURA_API_CLIENT_ID: "",
      ANURA_API_CLIENT_SECRET: "",
    });
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toMatch(
      /set ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET \(`cdrs check --csv <export>` needs neither\)/,
    );
  });
});

describe("pnpm cli cdrs check --csv", () => {
  it("lists the calls of a panel export (Spanish headers, `;`) that we do not hold, matched by start time and number", async () => {
    // backfill-1 is held (recovered above): same start (local time) and number; the second row is not.
    const held = new Date(since.getTime() + 10 * 60_000);
    const local = (date: Date) =>
      new Intl.DateTimeFormat("sv-SE", {
        timeZone: "America/Argentina/Buenos_Aires",
        dateStyle: "short",
        timeStyle: "medium",
      }).format(date);
    await stack.sql`update anura_calls set state = jsonb_set(state, '{aniTel}', '"+5491167950079"') where cdrid = 'backfill-1'`;
    const csv = [
      "Fecha;Dirección;Estado;Nro_Origen;Nro_Destino_Limpio;Duración_total",
      `${local(held)};Entrante;ANSWER;1167950079;1126888209;30`,
      `${local(new Date(held.getTime() + 600_000))};Entrante;ANSWER;"1155550123";1126888209;45`,
      "no es una fecha;Entrante;ANSWER;1;2;3",
    ].join("\r\n");
    const file = join(dir, "export.csv");
    await writeFile(file, csv);
    const { stdout } = await cli(["cdrs", "check", "--csv", file]);
    expect(stdout).toContain("3 call(s) in the CSV, matched by start time and caller: 1 stored, 1 missing");
    expect(stdout).toMatch(/line 4: skipped, date "no es una fecha" not readable/);
    expect(stdout).toMatch(/^3 +- +\S+ +ANSWER +45 +…0123$/m);
    expect(stdout).not.toContain("1155550123"); // only the last digits are shown
  });

  it("matches by call id when the export has one, with `,` as the separator", async () => {
    const file = join(dir, "ids.csv");
    await writeFile(file, "cdrid,Fecha,Estado\nbackfill-2,2026-03-01 10:00:00,NOANSWER\nnever-seen,2026-03-01 10:05:00,ANSWER\n");
    const { stdout } = await cli(["cdrs", "check", "--csv", file]);
    expect(stdout).toContain("2 call(s) in the CSV, matched by cdrid: 1 stored, 1 missing");
    expect(stdout).toMatch(/^3 +never-seen /m);
  });

  it("says what the file lacks when it has neither an id nor a date column", async () => {
    const file = join(dir, "bad.csv");
    await writeFile(file, "a;b\n1;2\n");
    const result = await cli(["cdrs", "check", "--csv", file]);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toMatch(/neither a call id column .* nor a date column .*; its columns: a, b/);
  });
});
