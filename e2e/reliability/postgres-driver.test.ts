import { createDb } from "@anura/db";
import { ADMIN_DATABASE_URL, startFaultProxy } from "@anura/testing";
import { expect, it } from "vitest";

// postgres.js 3.4.9 sends a transaction's ROLLBACK on a connection that already closed and throws from a
// setImmediate, killing the process (porsager/postgres#1154, #1208); patches/postgres@3.4.9.patch guards it.
it("a transaction whose Postgres connection drops fails with an error instead of crashing the process", async () => {
  const proxy = await startFaultProxy(Number(new URL(ADMIN_DATABASE_URL).port || 5432));
  const url = new URL(ADMIN_DATABASE_URL);
  url.port = String(proxy.port);
  const database = createDb(url.toString(), { max: 2 });
  try {
    // sql.begin is what drizzle's db.transaction runs on.
    const transaction = database.sql.begin(async (tx) => {
      await tx`select 1`;
      await tx`select pg_sleep(2)`;
    });
    setTimeout(() => proxy.setMode("refuse"), 300);
    await expect(transaction).rejects.toThrow(/CONNECTION_CLOSED|ECONNRESET/);
    proxy.setMode("pass");
    // The pool recovers: the next query gets a fresh connection.
    const [row] = await database.sql`select 2 as x`;
    expect(row?.x).toBe(2);
  } finally {
    await database.close();
    await proxy.close();
  }
});
