import { createAnuraApi } from "@anura/anura-api";
import { BATCH, type ReconcileContext, reconcileStoredWindows } from "@anura/cdr-reconcile";
import { createDb, type Db } from "@anura/db";
import { startAnuraStandIn } from "@anura/dev-anura-api";
import { createLogger } from "@anura/logger";
import { createQueues, createRedisConnection, waitUntilReady } from "@anura/queue";
import type { Context, MeasureResult } from "../lib/measure.ts";
import { compareRounds, median, round, sleep } from "../lib/stats.ts";

const ROUNDS = 3;
const CDRS = 10_000;
/** Of them, this many unknown to us: each asks its recording link and queues a call.event. */
const UNKNOWN = 100;
const MB = 1024 * 1024;
const ZONE = "America/Argentina/Buenos_Aires";

/** The reconciler's Postgres statements, counted where it issues them (its client). */
function countingDb(db: Db): { db: Db; statements: () => number } {
  let count = 0;
  const client = new Proxy(db.$client, {
    apply(target, self, args) {
      count++;
      return Reflect.apply(target, self, args);
    },
  });
  return {
    db: new Proxy(db, { get: (target, key) => (key === "$client" ? client : Reflect.get(target, key)) }),
    statements: () => count,
  };
}

/**
 * (12) One poll window of 10,000 CDRs, 9,900 of them calls we hold: CDRs reconciled per second against
 * the bare cost of fetching and parsing the same list; Postgres statements per CDR; the process's
 * peak RSS growth while doing it.
 */
export async function cdrReconcile(ctx: Context): Promise<MeasureResult> {
  const standIn = await startAnuraStandIn({ clientId: "bench", clientSecret: "bench-secret", linkLatencyMs: 2, timeZone: ZONE });
  const handle = createDb(ctx.services.database.url, { max: 2 });
  const redis = createRedisConnection({ url: ctx.services.redis.url }, "producer");
  await waitUntilReady(redis);
  const queues = createQueues(redis, `${ctx.services.prefix}-cdrs`);
  const apiOptions = {
    tokenUrl: standIn.env.ANURA_TOKEN_URL,
    apiUrl: standIn.env.ANURA_API_URL,
    clientId: "bench",
    clientSecret: "bench-secret",
    timeZone: ZONE,
  };
  const rounds: {
    round: number;
    cdrsPerSecond: number;
    listPerSecond: number;
    statementsPerThousand: number;
    rssGrowthMb: number;
  }[] = [];
  try {
    for (let index = 1; index <= ROUNDS && performance.now() < ctx.deadline - 30_000; index++) {
      const tag = `bench-${index}-${Date.now().toString(36)}`;
      const now = Date.now();
      const cdrids = Array.from({ length: CDRS }, (_, i) => `${tag}-${i}`);
      await handle.sql`
        insert into anura_calls (cdrid, state)
        select id, jsonb_build_object('cdrid', id, 'ended', true) from unnest(${cdrids.slice(UNKNOWN)}::text[]) as id`;
      await handle.sql`delete from anura_cdr_windows`;
      standIn.clearCdrs();
      for (const [i, id] of cdrids.entries()) {
        standIn.addCdr({
          id,
          dialTime: now - 600_000 + i * 30,
          direction: "IN",
          calling: "+5491100000000",
          status: "ANSWER",
          duration: 30,
          billSeconds: 28,
          recordingUrl: `http://127.0.0.1:9/${id}.mp3`,
        });
      }
      // Baseline: what Anura's answer alone costs us, one token and one list request parsed.
      const bare = createAnuraApi(apiOptions);
      const listStarted = performance.now();
      const listing = await bare.listCdrs({ from: new Date(now - 900_000), to: new Date(now - 1000) });
      const listMs = performance.now() - listStarted;
      if (listing.cdrs.length !== CDRS) throw new Error(`the stand-in listed ${listing.cdrs.length} CDRs, not ${CDRS}`);

      const counted = countingDb(handle.db);
      const reconcile: ReconcileContext = {
        db: counted.db,
        queues,
        api: createAnuraApi(apiOptions),
        log: createLogger({ name: "bench", level: "silent" }),
        timeZone: ZONE,
        retry: { attempts: 1, baseDelayMs: 0 },
      };
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
      const started = performance.now();
      // The clock stands still for the run: one window, not a second one for the seconds it took.
      const rules = { settleMs: 1000, overlapMs: 900_000, maxWindowMs: 3_600_000 };
      const result = await reconcileStoredWindows(reconcile, rules, () => now);
      const ms = performance.now() - started;
      clearInterval(sampler);
      if (result.recovered !== UNKNOWN || result.confirmed !== CDRS - UNKNOWN) {
        throw new Error(`expected ${UNKNOWN} recovered and ${CDRS - UNKNOWN} confirmed, got ${JSON.stringify(result)}`);
      }
      const entry = {
        round: index,
        cdrsPerSecond: round(CDRS / (ms / 1000), 0),
        listPerSecond: round(CDRS / (listMs / 1000), 0),
        statementsPerThousand: (counted.statements() / CDRS) * 1000,
        rssGrowthMb: round((rssPeak - rssBefore) / MB),
      };
      rounds.push(entry);
      ctx.log(
        `  round ${index}: ${entry.cdrsPerSecond} CDRs/s (list alone ${entry.listPerSecond}/s), ${counted.statements()} statements, peak RSS +${entry.rssGrowthMb} MB`,
      );
      await queues.queues["call.event"].obliterate({ force: true });
      await handle.sql`delete from anura_calls where cdrid like ${`${tag}-%`}`;
      await sleep(200);
    }
  } finally {
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
    await handle.close();
    await standIn.close();
  }
  const speed = compareRounds(
    rounds.map((r) => r.cdrsPerSecond),
    rounds.map((r) => r.listPerSecond),
  );
  const statements = median(rounds.map((r) => r.statementsPerThousand));
  // Besides one per batch, a poll window costs 5 statements (cursor, interrupted ones, open, close, cursor again).
  const allowed = ((Math.ceil(CDRS / BATCH) + 5) / CDRS) * 1000;
  return {
    rows: [
      {
        measure: `12 CDR reconciliation, one window of ${CDRS.toLocaleString("en")} CDRs (${UNKNOWN} unknown)`,
        unit: "CDRs/s",
        ...speed,
        baselineName: "the list fetched and parsed alone",
        goal: "",
        pass: null,
      },
      {
        measure: "12 Postgres statements per 1,000 CDRs",
        unit: "",
        project: statements,
        baseline: null,
        ratio: null,
        goal: `≤ 1 per ${BATCH} CDRs + 5 per window`,
        pass: statements <= allowed,
      },
      {
        measure: "12 peak RSS growth during the window",
        unit: "MB",
        project: median(rounds.map((r) => r.rssGrowthMb)),
        baseline: null,
        ratio: null,
        goal: "",
        pass: null,
      },
    ],
    rounds,
  };
}
