import { parseArgs } from "node:util";
import { createApiKey, listApiKeys, revokeApiKey } from "@anura/db";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTime, printTable } from "../format.ts";
import { dispatch } from "../subcommands.ts";

export function apiKeysCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("api-keys", { create, list, revoke }, args, cli);
}

async function create(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { name: { type: "string" } } });
  const name = values.name?.trim();
  if (!name) throw new CliError("--name is required: pnpm cli api-keys create --name <who uses it>");
  const key = await cli.withDatabase(({ db }) => createApiKey(db, name));
  console.log(`id: ${key.id}`);
  console.log(`name: ${key.name}`);
  console.log(`prefix: ${key.prefix}`);
  console.error("store the key below now: only its hash is kept, it cannot be shown again");
  // Alone on the last line so scripts can take it with `tail -n1`.
  console.log(key.plainKey);
}

async function list(args: string[], cli: CliContext) {
  parseArgs({ args, options: {} });
  const keys = await cli.withDatabase(({ db }) => listApiKeys(db));
  const rows = keys.map((key) => [
    String(key.id),
    key.name,
    key.prefix,
    key.isActive ? "yes" : "no",
    formatTime(key.createdAt),
    formatTime(key.lastUsedAt, "never"),
  ]);
  const empty = "no API keys yet: create one with `pnpm cli api-keys create --name <name>`";
  printTable(["id", "name", "prefix", "active", "created", "last used"], rows, empty);
}

async function revoke(args: string[], cli: CliContext) {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  const [idOrPrefix, extra] = positionals;
  if (!idOrPrefix || extra !== undefined)
    throw new CliError("give exactly one id or prefix: pnpm cli api-keys revoke <id|prefix>");
  const revoked = await cli.withDatabase(({ db }) => revokeApiKey(db, idOrPrefix));
  if (revoked === 0) {
    throw new CliError(`no API key has id or prefix "${idOrPrefix}": see \`pnpm cli api-keys list\``);
  }
  console.log(`revoked ${revoked} key(s); the ingester refuses them within API_KEY_CACHE_SECONDS (default 5 s)`);
}
