import { createAnuraApi } from "@anura/anura-api";
import { MAX_WINDOW_MS, type ReconcileContext, reconcileWindow } from "@anura/cdr-reconcile";
import { closeCdrWindow, openCdrWindow } from "@anura/db";
import { createLogger } from "@anura/logger";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { formatTime } from "../format.ts";

/**
 * `cdrs reconcile`: check [since, until) of Anura's CDR list in windows of at most an hour, as the
 * worker does, and queue the END of each call we lack. Stored as 'backfill' windows: the poll cursor stays.
 */
export async function backfill(options: { since: Date; until?: Date; dryRun: boolean }, cli: CliContext) {
  const settings = { api: cli.settings.cdrApi, settleMs: cli.settings.cdrSettleMs };
  if (!settings.api) {
    throw new CliError(
      "cdrs reconcile asks Anura's API: set ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET (`cdrs check --csv <export>` needs neither)",
    );
  }
  const api = settings.api;
  const end = options.until ?? new Date(Date.now() - settings.settleMs);
  if (end <= options.since)
    throw new CliError(`nothing to check: --since is later than ${end.toISOString()} (now minus ANURA_CDR_SETTLE_SECONDS)`);
  const windows: { startsAt: Date; endsAt: Date; newFrom: Date }[] = [];
  for (let from = options.since.getTime(); from < end.getTime(); from += MAX_WINDOW_MS) {
    const startsAt = new Date(from);
    windows.push({ startsAt, endsAt: new Date(Math.min(from + MAX_WINDOW_MS, end.getTime())), newFrom: startsAt });
  }
  const verb = options.dryRun ? "would be recovered" : "recovered";
  const totals = { listed: 0, confirmed: 0, recovered: 0, failed: 0, left: 0 };
  await cli.withDatabase(({ db }) =>
    cli.withQueues(async (queues) => {
      const ctx: ReconcileContext = {
        db,
        queues,
        api: createAnuraApi(api),
        // Retries and skipped rows are reported on stderr; stdout has the progress and what was created.
        log: createLogger({ name: "cdrs", level: "warn", destination: process.stderr }),
        timeZone: api.timeZone,
        retry: { attempts: 4, baseDelayMs: 500 },
      };
      for (const [index, window] of windows.entries()) {
        const id = options.dryRun ? null : await openCdrWindow(db, { kind: "backfill", ...window });
        const report = await reconcileWindow(ctx, window, {
          now: Date.now(),
          settleMs: settings.settleMs,
          dryRun: options.dryRun,
        }).catch(async (error: Error) => {
          if (id !== null)
            await closeCdrWindow(db, id, { status: "failed", counts: { ...totals, listed: 0 }, error: error.message });
          throw new CliError(
            `window ${formatTime(window.startsAt)} → ${formatTime(window.endsAt)} failed: ${error.message}; run the command again from --since ${window.startsAt.toISOString()}`,
          );
        });
        if (id !== null) await closeCdrWindow(db, id, { status: "done", counts: report.counts });
        const { counts } = report;
        for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key];
        const left = counts.left > 0 ? `, ${counts.left} too recent (left for the worker's poll)` : "";
        console.log(
          `[${index + 1}/${windows.length}] ${formatTime(window.startsAt)} → ${formatTime(window.endsAt)} UTC: ${counts.listed} listed, ` +
            `${counts.confirmed} already stored, ${counts.recovered} ${verb}, ${counts.failed} unreadable${left}`,
        );
        for (const call of report.recovered) {
          console.log(
            `  ${call.cdrid}: ${call.completed ? "held without its END, completed" : "new call"}; recording ${call.recording}`,
          );
        }
      }
    }),
  );
  console.log(
    `done: ${totals.listed} CDR(s) in ${windows.length} window(s), ${totals.confirmed} already stored, ${totals.recovered} ${verb}, ${totals.failed} unreadable` +
      (options.dryRun ? " (dry run: nothing queued)" : "; the worker turns each recovered call into its call log and task"),
  );
}
