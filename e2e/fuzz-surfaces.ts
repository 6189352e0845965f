/** Hostile requests for the surfaces beside the webhook: the /anura/* helpers and the dashboard. */
import { generateRequests, seededRandom } from "./fuzz-bodies.ts";

export interface SurfaceRequest {
  kind: string;
  method: string;
  path: string;
  body?: Uint8Array | string;
  headers: Record<string, string>;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const enc = encodeURIComponent;

const weirdStrings = [
  "",
  "1",
  "-1",
  "1e309",
  "9".repeat(400),
  "x".repeat(5000),
  "__proto__",
  "constructor",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "💥",
  "\u202e",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "{{7*7}}",
  "[object Object]",
  "call.event",
  "recording.fetch",
  "task.create",
];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
const STATUSES = ["failed", "completed", "active", "waiting", "delayed", "paused", "latest", "prioritized", "bogus", ""];

/** A path segment or query value: percent-encoded junk, or a raw-looking broken escape. */
const junk = (random: Random) =>
  random() < 0.15 ? pick(random, ["%", "%ZZ", "%E0%A4%A", "..%2f", "%2e%2e"]) : enc(pick(random, weirdStrings));

const HELPER_PATHS = ["/campaigns", "/mapping-guide", "/stats", "/validate-mapping"];

/** /anura/* with every method, odd paths and query strings, and the webhook fuzzer's bodies. */
export function* helperRequests(count: number, seed: number, key: string | null): Generator<SurfaceRequest> {
  const random = seededRandom(seed);
  const bodies = generateRequests(count, seed + 7);
  for (let i = 0; i < count; i++) {
    const fuzzBody = bodies.next().value as { kind: string; body: Uint8Array | string; headers: Record<string, string> };
    const path = random() < 0.7 ? pick(random, HELPER_PATHS) : `/${junk(random)}${random() < 0.5 ? `/${junk(random)}` : ""}`;
    const method = random() < 0.6 ? pick(random, ["GET", "POST"]) : pick(random, METHODS);
    const query = random() < 0.3 ? `?${junk(random)}=${junk(random)}&${junk(random)}` : "";
    const withBody = method !== "GET" && method !== "HEAD";
    yield {
      kind: `helper ${method} ${withBody ? fuzzBody.kind : "no body"}`,
      method,
      path: `/anura${path}${query}`,
      body: withBody ? fuzzBody.body : undefined,
      headers: { ...(withBody ? fuzzBody.headers : {}), ...(key ? { "X-API-Key": key } : {}) },
    };
  }
}

const bullBoardApi = (random: Random): { method: string; path: string } => {
  const queue = junk(random);
  const job = junk(random);
  const status = pick(random, STATUSES);
  return pick(random, [
    { method: "GET", path: `/api/queues?activeQueue=${queue}&status=${status}&page=${junk(random)}&jobsPerPage=${junk(random)}` },
    { method: "GET", path: `/api/queues/${queue}/${job}` },
    { method: "GET", path: `/api/queues/${queue}/${job}/logs` },
    { method: "GET", path: `/api/queues/${queue}/metrics` },
    { method: "GET", path: `/api/redis/stats` },
    { method: "PUT", path: `/api/queues/${queue}/retry/${status}` },
    { method: "PUT", path: `/api/queues/${queue}/${job}/retry` },
    { method: "PUT", path: `/api/queues/${queue}/${job}/clean` },
    { method: "PUT", path: `/api/queues/${queue}/clean/${status}` },
    { method: "PUT", path: `/api/queues/${queue}/pause` },
    { method: "PUT", path: `/api/queues/${queue}/resume` },
    { method: "POST", path: `/api/queues/${queue}/add` },
    { method: "PATCH", path: `/api/queues/${queue}/${job}/update-data` },
    { method: "GET", path: `/${junk(random)}` },
  ]);
};

/** The dashboard: overview call lookups, Bull Board's pages and API, odd paths and bodies. */
export function* dashboardRequests(count: number, seed: number, authorization: string): Generator<SurfaceRequest> {
  const random = seededRandom(seed);
  const bodies = generateRequests(count, seed + 11);
  for (let i = 0; i < count; i++) {
    const fuzzBody = bodies.next().value as { kind: string; body: Uint8Array | string; headers: Record<string, string> };
    const which = random();
    let request: { kind: string; method: string; path: string };
    if (which < 0.3) {
      const params = pick(random, [
        `call=${junk(random)}`,
        `call=${junk(random)}&call=${junk(random)}`,
        `call[x]=${junk(random)}`,
      ]);
      request = { kind: "overview lookup", method: "GET", path: `/?${params}` };
    } else if (which < 0.75) {
      const api = bullBoardApi(random);
      request = { kind: `bull board ${api.method}`, method: api.method, path: `/admin/queues${api.path}` };
    } else {
      request = { kind: "odd path", method: pick(random, METHODS), path: `/${junk(random)}/${junk(random)}` };
    }
    const withBody = request.method !== "GET" && request.method !== "HEAD";
    // Now and then a browser's cross-site request, which the CSRF guard must refuse with a reason.
    const origin: Record<string, string> =
      random() < 0.1 ? { Origin: pick(random, ["https://evil.example", "null", "::", "http://127.0.0.1:1"]) } : {};
    yield {
      ...request,
      body: withBody ? fuzzBody.body : undefined,
      headers: { ...(withBody ? fuzzBody.headers : {}), ...origin, Authorization: authorization },
    };
  }
}

/** Logins that are wrong in every way a header can be: all must be 401 (or 429 once locked out), never 5xx. */
export function* dashboardLogins(count: number, seed: number): Generator<SurfaceRequest> {
  const random = seededRandom(seed);
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  for (let i = 0; i < count; i++) {
    const authorization = pick(random, [
      "",
      "Basic",
      "Basic ",
      "Basic !!!",
      `Basic ${b64("no-colon")}`,
      `Basic ${b64(`${pick(random, weirdStrings)}:${pick(random, weirdStrings)}`)}`,
      `Basic ${b64(":")}`,
      `Basic ${"A".repeat(6000)}`,
      `Bearer ${pick(random, weirdStrings)}`,
      `basic ${b64("admin:admin")}`,
    ]);
    yield {
      kind: "unauthenticated",
      method: pick(random, ["GET", "POST", "PUT"]),
      path: pick(random, ["/", "/admin/queues", "/admin/queues/api/queues", `/?call=${junk(random)}`]),
      headers: authorization ? { Authorization: authorization.replace(/[^\x20-\x7e]/g, "") } : {},
    };
  }
}
