// `node bench/needs-attention-explain.ts [calls]`: the plans of the Needs attention queries on a fresh
// database of `calls` calls in the last day (default 1,000,000), as Postgres ran them (auto_explain).
import {
  callsAwaitingRecordingSince,
  createDb,
  failedTasksPage,
  recordedWithoutLinkPage,
  stalledTasksPage,
  unmappedCallsPage,
} from "@anura/db";
import { createTestDatabase } from "@anura/testing";
import { seedAttentionCalls } from "./lib/attention-seed.ts";

type Db = ReturnType<typeof createDb>["db"];
const calls = Number(process.argv[2] ?? 1_000_000);
const page = { limit: 50, offset: 0 };
const queries: [string, (db: Db) => Promise<unknown>][] = [
  ["recorded calls without a recording", (db) => callsAwaitingRecordingSince(db, { olderThanSeconds: 3600, limit: 5000 })],
  ["unmapped calls", (db) => unmappedCallsPage(db, page)],
  ["END recorded, no link", (db) => recordedWithoutLinkPage(db, { ...page, olderThanSeconds: 3600 })],
  ["tasks pending too long", (db) => stalledTasksPage(db, { ...page, stallAfterSeconds: 1800 })],
  ["tasks failed in AuditorIA", (db) => failedTasksPage(db, page)],
];

type Dialect = { sqlToQuery(query: unknown): { sql: string; params: unknown[] } };

/** The same Db, but each statement the repository runs is run under EXPLAIN ANALYZE, its plan kept. */
function explaining(db: Db, plans: string[]): Db {
  const dialect = (db as unknown as { dialect: Dialect }).dialect;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "execute") return Reflect.get(target, property, receiver);
      return async (query: unknown) => {
        const { sql, params } = dialect.sqlToQuery(query);
        const rows = await target.$client.unsafe(`explain (analyze, buffers) ${sql}`, params as never[]);
        plans.push(`${sql.replace(/\s+/g, " ").trim()}\n${rows.map((row) => row["QUERY PLAN"]).join("\n")}`);
        return [];
      };
    },
  });
}

const database = await createTestDatabase();
const handle = createDb(database.url, { max: 2 });
const notices: string[] = [];
try {
  const started = performance.now();
  await seedAttentionCalls(handle.sql, calls, { events: false });
  console.log(`seeded ${calls.toLocaleString("en")} calls in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const [name, run] of queries) {
    const began = performance.now();
    await run(handle.db); // also warms the cache: the page is read again and again
    const ms = performance.now() - began;
    notices.length = 0;
    await run(explaining(handle.db, notices));
    console.log(`\n## ${name} (${ms.toFixed(1)} ms, count and rows)\n`);
    for (const plan of notices) console.log(`${plan}\n`);
  }
} finally {
  await handle.close();
  await database.drop();
}
