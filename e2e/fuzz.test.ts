import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FuzzRequest, generateRequests } from "./fuzz-bodies.ts";
import { type Stack, startStack } from "./support/index.ts";

const COUNT = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

let stack: Stack;
let key: string;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

beforeAll(async () => {
  stack = await startStack({
    worker: false,
    env: { WEBHOOK_RATE_LIMIT_PER_MINUTE: "10000000", PUBLIC_RATE_LIMIT_PER_MINUTE: "10000000" },
  });
  key = await stack.createApiKey();
  process.on("unhandledRejection", onRejection);
});
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await stack?.close();
});

async function send(request: FuzzRequest) {
  const res = await fetch(`${stack.baseUrl}/webhook/anura/`, {
    method: "POST",
    body: request.body,
    headers: { "X-API-Key": key, ...request.headers },
  });
  const text = await res.text();
  return { status: res.status, text };
}

describe(`fuzzing the webhook with ${COUNT} malformed requests (seed ${SEED})`, () => {
  it("never answers 5xx, never crashes, explains every rejection, and gives its memory back", async () => {
    await Promise.all([...generateRequests(300, SEED + 1)].map(send)); // warm up before the baseline
    const heapBefore = heapAfterGc();
    const requests = generateRequests(COUNT, SEED);

    const byStatus = new Map<number, number>();
    const serverErrors: string[] = [];
    const unexplained: string[] = [];
    const worker = async () => {
      for (let step = requests.next(); !step.done; step = requests.next()) {
        const request = step.value;
        const { status, text } = await send(request);
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        if (status >= 500) serverErrors.push(`${request.kind}: ${status} ${text.slice(0, 200)}`);
        else if (status >= 400 && !(JSON.parse(text) as { error?: string }).error) unexplained.push(`${request.kind}: ${status}`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));

    const heapGrowthMb = (heapAfterGc() - heapBefore) / 1e6;
    const fourXx = [...byStatus].filter(([s]) => s >= 400 && s < 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `fuzz: ${COUNT} requests, ${fourXx} 4xx, ${serverErrors.length} 5xx, statuses ${JSON.stringify(Object.fromEntries(byStatus))}, heap growth ${heapGrowthMb.toFixed(1)} MB`,
    );

    expect(serverErrors).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(rejections).toEqual([]);
    expect(fourXx).toBeGreaterThan(COUNT * 0.8);
    expect(heapGrowthMb).toBeLessThan(30);
    const health = await fetch(`${stack.baseUrl}/webhook/anura/health`);
    expect(health.status).toBe(200);
  });
});
