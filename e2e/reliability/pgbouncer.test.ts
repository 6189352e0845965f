import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { closeAll, type PgBouncer, startPgBouncer } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessStack } from "../support/index.ts";
import { callEvents, type RecordedCall, servedCalls, shuffled } from "./calls.ts";
import { writeCheckRow } from "./check-row.ts";
import { expectCompleteEndState, scenarioStack } from "./end-state.ts";
import { Sender } from "./sender.ts";

const NAME = "10-pgbouncer-transaction-pooling-dup-shuffled";
const SEED = 20261202;
const ROOT = resolve(import.meta.dirname, "../..");
let stack: ProcessStack;
let bouncer: PgBouncer;
let key: string;
let calls: RecordedCall[];

beforeAll(async () => {
  ({ stack, key } = await scenarioStack(NAME));
  // Fewer server connections than the apps' pools hold between them, as a shared managed pooler gives.
  bouncer = await startPgBouncer(stack.env.DATABASE_URL as string, { poolMode: "transaction", poolSize: 4 });
  calls = servedCalls(stack.recordings, "bouncer", 40, 300);
});
afterAll(() => closeAll(stack, bouncer));

it(`with every app's DATABASE_URL on PgBouncer in transaction pooling, 40 calls sent twice, shuffled (seed ${SEED}): one of everything per call`, async () => {
  // What a transaction pooler needs: no named prepared statements (each would stay on one server connection).
  const through = { DATABASE_URL: bouncer.urlFor(stack.env.DATABASE_URL as string), DATABASE_PREPARED_STATEMENTS: "false" };
  const [ingester, , , dashboard] = await Promise.all([
    stack.startIngester(through),
    stack.startWorker(through),
    stack.startWorker(through),
    stack.startDashboard(through),
  ]);
  const sender = new Sender([ingester.baseUrl], key);
  const deliveries = calls.flatMap((call) => [...callEvents(call), ...callEvents(call)]);
  await sender.deliver(shuffled(deliveries, SEED), 12);

  // Generous: twelve clients share four server connections, and a loaded machine slows them all.
  await expectCompleteEndState(stack, NAME, calls, sender, { timeoutMs: 80_000 });
  expect(calls.map((call) => stack.recordings.hitsFor(call.path))).toEqual(calls.map(() => 1));
  const [{ events }] = await stack.sql<[{ events: number }]>`select count(*)::int as events from anura_events`;
  expect(events).toBe(deliveries.length);
  // The dashboard reads the same Postgres through the pooler.
  const readyz = await fetch(`${dashboard.baseUrl}/readyz`);
  expect(readyz.status, await readyz.text()).toBe(200);
  for (const app of stack.processes) expect(app.logs(), app.name).not.toMatch(/prepared statement|ETIMEDOUT/);

  // Postgres is the ceiling every worker shares: what one recorded call costs it, counted by PgBouncer.
  const database = new URL(stack.env.DATABASE_URL as string).pathname.slice(1);
  const more = servedCalls(stack.recordings, "bouncer-single", 20, 300);
  const before = await bouncer.stats(database);
  const started = Date.now();
  await sender.drive(more, 50);
  await expectCompleteEndState(stack, NAME, [...calls, ...more], sender, { timeoutMs: 80_000 });
  const after = await bouncer.stats(database);
  const seconds = (Date.now() - started) / 1000;
  // The apps' idle checks (select 1 every 5 s from each of 4 processes) are in the count too: a fraction of one per call.
  const perCall = (field: "queries" | "transactions") => ((after[field] - before[field]) / more.length).toFixed(1);
  console.log(
    `postgres: ${perCall("queries")} statements and ${perCall("transactions")} transactions per recorded call (START, TALK, END, recording, task; ${more.length} calls in ${seconds.toFixed(1)} s)`,
  );
  await writeCheckRow({
    scenario: `${NAME}-statements`,
    check: "Postgres statements / transactions per recorded call, through PgBouncer",
    result: `${perCall("queries")} / ${perCall("transactions")}`,
  });
}, 240_000);

/** `pnpm db:migrate` as a deployment runs it: its own process, its output kept for the failure message. */
function migrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["packages/db/src/migrate-cli.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => (output += chunk));
    // A migrator waiting on a lock nobody will release waits forever: stop it and say so.
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

it("four migrators started together, three times, with DATABASE_URL on the pooler all finish, on DATABASE_DIRECT_URL", async () => {
  // Through the pooler itself concurrent migrators hung (its advisory lock stays on a server
  // connection handed back to the pool): DATABASE_DIRECT_URL is where they run.
  const env = {
    DATABASE_URL: bouncer.urlFor(stack.env.DATABASE_URL as string),
    DATABASE_DIRECT_URL: stack.env.DATABASE_URL as string,
  };
  for (let round = 1; round <= 3; round++) {
    const runs = await Promise.all([migrate(env), migrate(env), migrate(env), migrate(env)]);
    for (const run of runs)
      expect(run, `round ${round}`).toEqual({ code: 0, output: expect.stringContaining("migrations applied") });
  }
}, 150_000);
