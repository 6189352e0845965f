import { createDb, type DbHandle, findActiveApiKey, hashApiKey } from "@anura/db";
import { closeAll, createTestDatabase } from "@anura/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

let database: { url: string; drop: () => Promise<void> };
let handle: DbHandle;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createDb(database.url, { max: 1 });
  env = { DATABASE_URL: database.url, REDIS_URL: "redis://127.0.0.1:1" }; // neither command needs Redis
});
afterAll(() => closeAll(handle, database));

describe("pnpm cli api-keys", () => {
  let plainKey: string;
  let prefix: string;

  it("list with no keys yet says how to create the first", async () => {
    const run = await runCli(env, "api-keys", "list");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("no API keys yet: create one with `pnpm cli api-keys create --name <name>`");
  });

  it("create prints the key once, alone on the last line, and stores only its hash", async () => {
    const run = await runCli(env, "api-keys", "create", "--name", "anura-prod");
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    plainKey = lines.at(-1) as string;
    expect(plainKey).toMatch(/^anura_\S{20,}$/);
    prefix = plainKey.slice(0, 12);
    expect(lines.slice(0, -1)).toEqual([expect.stringMatching(/^id: \d+$/), "name: anura-prod", `prefix: ${prefix}`]);
    expect(run.stderr).toContain("it cannot be shown again");
    expect(await findActiveApiKey(handle.db, hashApiKey(plainKey))).toMatchObject({ name: "anura-prod", prefix });
    const [stored] = await handle.sql`select count(*)::int as n from global_api_keys where hashed_key = ${plainKey}`;
    expect(stored?.n).toBe(0);
  });

  it("create without --name says how to call it, exit 1, and creates nothing", async () => {
    const run = await runCli(env, "api-keys", "create");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("--name is required: pnpm cli api-keys create --name <who uses it>");
    const [keys] = await handle.sql`select count(*)::int as n from global_api_keys`;
    expect(keys?.n).toBe(1);
  });

  it("list shows each key's name, prefix and state, never the key", async () => {
    const run = await runCli(env, "api-keys", "list");
    expect(run.status, run.stderr).toBe(0);
    const [header, rule, row] = run.stdout.trim().split("\n");
    expect(rule).toMatch(/^[- ]+$/);
    expect(header).toMatch(/^id\s+name\s+prefix\s+active\s+created\s+last used$/);
    expect(row).toMatch(new RegExp(`^\\d+\\s+anura-prod\\s+${prefix}\\s+yes\\s+\\d{4}-\\d\\d-\\d\\d .*\\s+never$`));
    expect(run.stdout).not.toContain(plainKey);
  });

  it("revoke by prefix deactivates the key; an unknown one is exit 1 pointing at list", async () => {
    const run = await runCli(env, "api-keys", "revoke", prefix);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("revoked 1 key(s)");
    expect(await findActiveApiKey(handle.db, hashApiKey(plainKey))).toBeNull();
    expect((await runCli(env, "api-keys", "list")).stdout).toMatch(new RegExp(`${prefix}\\s+no\\s`));

    const unknown = await runCli(env, "api-keys", "revoke", "anura_nothere");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('no API key has id or prefix "anura_nothere": see `pnpm cli api-keys list`');
  });
});

describe("pnpm cli campaigns", () => {
  it("create with --id makes the campaign that accounttags campaign_<id> maps to; list shows it", async () => {
    expect((await runCli(env, "campaigns", "list")).stdout).toMatch(/^no campaigns yet: create one with/);
    const run = await runCli(env, "campaigns", "create", "--name", "Ventas", "--id", "7", "--description", "outbound");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('created campaign 7 "Ventas"');
    const [row] =
      await handle.sql`select campaign_id as id, campaign_name as name, description from campaigns where campaign_id = 7`;
    expect(row).toEqual({ id: 7, name: "Ventas", description: "outbound" });

    const list = await runCli(env, "campaigns", "list");
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^7\s+Ventas\b/m);
  });

  it("refuses an id that exists (exit 1, saying to pick another) and a non-numeric one", async () => {
    const taken = await runCli(env, "campaigns", "create", "--name", "Otra", "--id", "7");
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/^error: already exists \(.*\): pick another name or id/);
    const bad = await runCli(env, "campaigns", "create", "--name", "Otra", "--id", "siete");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--id");
    const [count] = await handle.sql`select count(*)::int as n from campaigns`;
    expect(count?.n).toBe(1);
  });
});
