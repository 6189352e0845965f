import { createAnuraApi } from "@anura/anura-api";
import { cdrEventIdFor } from "@anura/call-domain";
import { MAX_WINDOW_MS, reconcileStoredWindows } from "@anura/cdr-reconcile";
import { createDb } from "@anura/db";
import { type AnuraStandIn, startAnuraStandIn } from "@anura/dev-anura-api";
import { createLogger } from "@anura/logger";
import { connectQueues, jobIdFor } from "@anura/queue";
import { startTestServices, type TestServices } from "@anura/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

// A call longer than ANURA_CDR_OVERLAP whose webhooks were all lost: listed while it still runs (or just
// ended), it must be listed again once settled, however far the cursor had got. The clock is the test's.

const minutes = (n: number) => n * 60_000;
const rules = { settleMs: minutes(3), overlapMs: minutes(15), maxWindowMs: MAX_WINDOW_MS };
const TIME_ZONE = "America/Argentina/Buenos_Aires";

let services: TestServices;
let standIn: AnuraStandIn;
let close: () => Promise<void>;
let ctx: Parameters<typeof reconcileStoredWindows>[0];

beforeAll(async () => {
  services = await startTestServices({ label: "long-call" });
  standIn = await startAnuraStandIn({ clientId: "long-call", clientSecret: "long-call-secret" });
  const handle = createDb(services.env.DATABASE_URL, { max: 2 });
  const redis = { url: services.env.REDIS_URL, clusterNodes: undefined, queuePrefix: services.prefix, queuePartitions: 1 };
  const connection = connectQueues(redis, () => {});
  close = async () => {
    await connection.close();
    await handle.close();
  };
  ctx = {
    db: handle.db,
    queues: connection.queues,
    api: createAnuraApi({
      tokenUrl: standIn.env.ANURA_TOKEN_URL,
      apiUrl: standIn.env.ANURA_API_URL,
      clientId: "long-call",
      clientSecret: "long-call-secret",
      timeZone: TIME_ZONE,
    }),
    log: createLogger({ name: "long-call", level: "silent" }),
    timeZone: TIME_ZONE,
    retry: { attempts: 2, baseDelayMs: 50 },
  };
});
afterAll(async () => {
  await close?.();
  await standIn?.close();
  await services?.close();
});

it("a 40-minute call whose webhooks never came is recovered once it ends, though the cursor had passed its dial time + overlap", async () => {
  const dialled = Math.floor(Date.now() / minutes(1)) * minutes(1) - minutes(120);
  let clock = dialled - minutes(30);
  const poll = () => reconcileStoredWindows(ctx, rules, () => clock);
  expect((await poll()).recovered).toBe(0); // the first window, before the call

  // Anura lists the call from its dial time on; it is still running, so its end lies ahead.
  const cdr = {
    id: `long-${Date.now()}`,
    dialTime: dialled,
    direction: "IN",
    status: "ANSWER",
    duration: 7200,
    billSeconds: 7190,
  };
  standIn.addCdr(cdr);
  let recovered = 0;
  for (clock = dialled + minutes(5); clock <= dialled + minutes(40); clock += minutes(5)) recovered += (await poll()).recovered;
  expect(recovered).toBe(0); // never while it still runs

  cdr.duration = 40 * 60; // it ended at dial + 40 min
  for (clock = dialled + minutes(45); clock <= dialled + minutes(60); clock += minutes(5)) recovered += (await poll()).recovered;
  expect(recovered).toBe(1);
  const queue = ctx.queues.queueFor("call.event", cdr.id);
  expect(await queue.getJobState(jobIdFor("call.event", { eventId: cdrEventIdFor(cdr.id) }))).toBe("waiting");
}, 60_000);
