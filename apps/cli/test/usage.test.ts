import { describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

// Nothing here reaches Postgres or Redis: a mistake in the command line is answered before connecting.
const env = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", REDIS_URL: "redis://127.0.0.1:1" };

describe("pnpm cli usage", () => {
  it("prints the usage with exit 0 for help and for no command", async () => {
    for (const args of [[], ["help"], ["--help"]]) {
      const run = await runCli(env, ...args);
      expect(run.status, args.join(" ")).toBe(0);
      expect(run.stdout).toMatch(/^usage: pnpm cli <command> \[options\]/);
      expect(run.stdout).toContain("api-keys create --name <name>");
    }
  });

  it("answers an unknown command with exit 2, its name and the usage on stderr", async () => {
    const run = await runCli(env, "frobnicate", "--now");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^unknown command "frobnicate"\n\nusage: pnpm cli/);
  });

  it("answers an unknown subcommand with exit 2, naming the ones that exist", async () => {
    const run = await runCli(env, "api-keys", "delete");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown api-keys command "delete" (expected create, list, revoke)');
    const missing = await runCli(env, "campaigns");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("campaigns needs a command: create, list");
  });

  it("answers an invalid environment with exit 1 naming the variable, in one line", async () => {
    const run = await runCli({ ...env, DATABASE_URL: "not a url" }, "api-keys", "list");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: invalid configuration: DATABASE_URL: /);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
