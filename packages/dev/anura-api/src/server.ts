import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseDialtime } from "@anura/call-domain";

/** A CDR as the stand-in serves it, in the shape public clients read from Anura (anura-cdr-api.md). */
export interface StandInCdr {
  id: string;
  /** Epoch milliseconds. */
  dialTime: number;
  direction?: string;
  calling?: string;
  called?: string;
  status?: string;
  duration?: number;
  billSeconds?: number;
  account?: { name?: string; tags?: string[] };
  /** Served by tenants/recording/<id>/url, not in the list. */
  recordingUrl?: string;
  /** Served without its id, as a malformed row (tests). */
  withoutId?: boolean;
  /** Anything else a test wants in the row (e.g. to drop the id). */
  [field: string]: unknown;
}

/** What the next answers of the API do instead of answering well, one per request (tests). */
export type Fault = "http500" | "malformed" | "shape" | "timeout" | "unauthorized";

export interface AnuraStandInOptions {
  clientId: string;
  clientSecret: string;
  port?: number;
  host?: string;
  /** Lifetime of an issued token (default 300 s). */
  tokenSeconds?: number;
  timeZone?: string;
  /** How long a "timeout" fault holds the request (default 60 s, longer than any client waits). */
  hangMs?: number;
  /** How long a recording-link answer takes (default 20 ms), so concurrent lookups overlap. */
  linkLatencyMs?: number;
}

export type AnuraStandIn = Awaited<ReturnType<typeof startAnuraStandIn>>;

const TOKEN_PATH = "/auth/realms/anura/protocol/openid-connect/token";
const API_PATH = "/GCAPI/rest/";

/**
 * Stands in for Anura's Keycloak token endpoint and its CDR API, for development and tests: the
 * paths, the client-credentials exchange and the answer shapes the adapter expects. Never in production.
 */
export async function startAnuraStandIn(options: AnuraStandInOptions) {
  const timeZone = options.timeZone ?? "America/Argentina/Buenos_Aires";
  const cdrs = new Map<string, StandInCdr>();
  const tokens = new Map<string, number>();
  const faults: Fault[] = [];
  const stats = { tokens: 0, lists: 0, links: 0, rejectedTokens: 0, linksInFlight: 0, maxLinksInFlight: 0 };
  let downUntil = 0;
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname === "/health") return send(res, 200, { ok: true });
    if (url.pathname === TOKEN_PATH && req.method === "POST") return token(req, res);
    if (url.pathname === "/control/cdrs" && req.method === "POST") {
      const cdr = JSON.parse(await body(req)) as StandInCdr;
      if (typeof cdr.id !== "string" || typeof cdr.dialTime !== "number")
        return send(res, 422, { error: "id and dialTime required" });
      cdrs.set(cdr.id, cdr);
      return send(res, 201, { ok: true });
    }
    if (!url.pathname.startsWith(API_PATH)) return send(res, 404, { error: "not found" });
    if (Date.now() < downUntil) return send(res, 503, { error: "down for maintenance" });
    const fault = faults.shift();
    if (fault === "timeout") {
      hanging.add(res);
      const release = () => {
        hanging.delete(res);
        res.destroy();
      };
      return void setTimeout(release, options.hangMs ?? 60_000).unref();
    }
    if (fault === "http500") return send(res, 500, { error: "internal" });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (fault === "unauthorized" || expiry === undefined || expiry < Date.now()) {
      stats.rejectedTokens++;
      return send(res, 401, { error: "invalid token" });
    }
    if (fault === "malformed") return void res.writeHead(200, { "content-type": "application/json" }).end('[{"id": "x", ');
    if (fault === "shape") return send(res, 200, { message: "unexpected" });
    const route = url.pathname.slice(API_PATH.length);
    if (route === "tenants/stats/cdrs/") return list(url, res);
    const link = /^tenants\/recording\/([^/]+)\/url$/.exec(route);
    if (link) return recording(decodeURIComponent(link[1] as string), res);
    return send(res, 404, { error: "not found" });
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const form = new URLSearchParams(await body(req));
    const [id, secret] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64")
      .toString()
      .split(":")
      .map(decodeURIComponent);
    if (id !== options.clientId || secret !== options.clientSecret) return send(res, 401, { error: "invalid_client" });
    if (form.get("grant_type") !== "client_credentials") return send(res, 400, { error: "unsupported_grant_type" });
    const accessToken = randomBytes(24).toString("base64url");
    const seconds = options.tokenSeconds ?? 300;
    tokens.set(accessToken, Date.now() + seconds * 1000);
    stats.tokens++;
    send(res, 200, { access_token: accessToken, expires_in: seconds, token_type: "Bearer" });
  }

  function list(url: URL, res: ServerResponse) {
    stats.lists++;
    const from = parseDialtime(url.searchParams.get("startDate") ?? "", timeZone);
    const to = parseDialtime(url.searchParams.get("endDate") ?? "", timeZone);
    if (!from || !to) return send(res, 400, { error: "startDate and endDate as YYYY-MM-DD HH:MM" });
    const rows: Omit<StandInCdr, "recordingUrl">[] = [];
    for (const { recordingUrl: _, withoutId, ...cdr } of cdrs.values()) {
      if (cdr.dialTime < from.getTime() || cdr.dialTime > to.getTime()) continue;
      if (withoutId) rows.push({ ...cdr, id: undefined as unknown as string });
      else rows.push(cdr);
    }
    send(res, 200, rows);
  }

  async function recording(id: string, res: ServerResponse) {
    stats.links++;
    stats.linksInFlight++;
    stats.maxLinksInFlight = Math.max(stats.maxLinksInFlight, stats.linksInFlight);
    await new Promise((resolve) => setTimeout(resolve, options.linkLatencyMs ?? 20));
    stats.linksInFlight--;
    const url = cdrs.get(id)?.recordingUrl;
    if (!url) return send(res, 404, { error: "no recording" });
    send(res, 200, { url });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    /** What the worker needs to use the stand-in. */
    env: {
      ANURA_API_CLIENT_ID: options.clientId,
      ANURA_API_CLIENT_SECRET: options.clientSecret,
      ANURA_TOKEN_URL: `${baseUrl}${TOKEN_PATH}`,
      ANURA_API_URL: `${baseUrl}${API_PATH}`,
    },
    stats,
    addCdr(cdr: StandInCdr) {
      cdrs.set(cdr.id, cdr);
    },
    cdrCount: () => cdrs.size,
    /** Every access token handed out, for tests that check none leaks. */
    issuedTokens: () => [...tokens.keys()],
    clearCdrs: () => cdrs.clear(),
    /** Every token issued so far stops working at once, as if it had expired. */
    expireTokens() {
      for (const key of tokens.keys()) tokens.set(key, 0);
    },
    /** The API answers 503 for this long. */
    goDown(ms: number) {
      downUntil = Date.now() + ms;
    },
    comeBack() {
      downUntil = 0;
    },
    /** The next API requests misbehave, one fault each, in order. */
    injectFaults(...next: Fault[]) {
      faults.push(...next);
    },
    close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
