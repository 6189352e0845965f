import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { backfill } from "../cdrs/backfill.ts";
import { checkCsv } from "../cdrs/check-csv.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTable, parseIsoOption } from "../format.ts";
import { dispatch } from "../subcommands.ts";

export function cdrsCommand(args: string[], cli: CliContext): Promise<void> {
  return dispatch("cdrs", { reconcile, check }, args, cli);
}

/** Check a past stretch of Anura's CDR list now, e.g. after an outage, and recover the calls we lack. */
async function reconcile(args: string[], cli: CliContext) {
  const { values } = parseArgs({
    args,
    options: { since: { type: "string" }, until: { type: "string" }, "dry-run": { type: "boolean", default: false } },
  });
  if (!values.since)
    throw new CliError("--since is required: pnpm cli cdrs reconcile --since 2026-03-01T00:00:00Z [--until ...] [--dry-run]");
  const since = parseIsoOption("since", values.since);
  const until = values.until === undefined ? undefined : parseIsoOption("until", values.until);
  if (until && until <= since) throw new CliError("--until must be later than --since");
  await backfill({ since, until, dryRun: values["dry-run"] }, cli);
}

/** Compare a CDR export from Anura's panel with what we stored: the calls we lack. No API credentials needed. */
async function check(args: string[], cli: CliContext) {
  const { values } = parseArgs({ args, options: { csv: { type: "string" } } });
  if (!values.csv)
    throw new CliError("--csv is required: pnpm cli cdrs check --csv export.csv (a CDR export from Anura's panel)");
  const text = await readFile(values.csv, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${values.csv}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  const result = await cli
    .withDatabase(({ db }) => checkCsv(db, text, cli.settings.timeZone))
    .catch((error: Error) => {
      throw error instanceof CliError || (error as { code?: string }).code ? error : new CliError(error.message);
    });
  console.log(
    `${result.rows} call(s) in the CSV, matched by ${result.matchedBy}: ${result.found} stored, ${result.missing.length} missing`,
  );
  for (const { line, reason } of result.unreadable) console.log(`line ${line}: skipped, ${reason}`);
  if (result.missing.length === 0) return;
  const rows = result.missing.map((m) => [
    String(m.line),
    m.cdrid ?? "-",
    m.dialtime ?? "-",
    m.status ?? "-",
    m.duration ?? "-",
    m.caller ?? "-",
  ]);
  console.log(formatTable(["line", "cdrid", "dialtime (UTC)", "status", "duration", "caller"], rows));
  console.log(
    "recover them with `pnpm cli cdrs reconcile --since <first> --until <last>` (needs ANURA_API_CLIENT_ID/SECRET), or re-send their webhooks",
  );
}
