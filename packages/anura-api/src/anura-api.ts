// Everything this service assumes about Anura's REST API lives in this file (see the README's
// "Missed webhooks" for what is confirmed and what is not): the paths, the query format, and the
// shapes of the answers. The first contact with the real API should change only this file.
import { localMinute, parseDialtime } from "@anura/call-domain";
import { AnuraApiError } from "./errors.ts";
import { type HttpAnswer, parseJson, request, statusError } from "./http.ts";
import { createTokenSource, type TokenSource } from "./token.ts";

/** One CDR, in the webhook's field names, so a recovered call maps with the webhook's rules. */
export interface Cdr {
  cdrid: string;
  /** When the call was dialled (UTC ISO). */
  dialtime: string;
  /** dialtime plus duration: when its END webhook would have come. */
  endedAt: string;
  direction: string | null;
  calling: string | null;
  called: string | null;
  status: string | null;
  duration: number | null;
  billseconds: number | null;
  accountname: string | null;
  accounttags: string | null;
  answerextension: string | null;
  queueagentextension: string | null;
  queueagentname: string | null;
}

/** A row of the list that could not be read as a CDR: reported and counted, never created. */
export interface RejectedCdr {
  index: number;
  reason: string;
}

export interface CdrListing {
  cdrs: Cdr[];
  rejected: RejectedCdr[];
}

export type RecordingLink = { url: string } | { url: null; reason: string };

export interface AnuraApiOptions {
  tokenUrl: string;
  /** Base URL ending in `/`, e.g. https://api.anura.com.ar/GCAPI/rest/ */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Anura's query dates and zone-less times are wall-clock time here. */
  timeZone: string;
  timeoutMs?: number;
}

export interface AnuraApi {
  /** Every CDR dialled in [from, to), deduplicated; one request. */
  listCdrs(window: { from: Date; to: Date }): Promise<CdrListing>;
  /** The recording link of a CDR, or why there is none. */
  recordingLink(cdrid: string): Promise<RecordingLink>;
  tokens: TokenSource;
}

export function createAnuraApi(options: AnuraApiOptions): AnuraApi {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tokens = createTokenSource({ ...options, timeoutMs });
  const base = options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/`;

  /** GET with the bearer token; a 401 gets one more try with a new token. */
  async function get(url: URL, what: string): Promise<HttpAnswer> {
    for (let attempt = 1; ; attempt++) {
      const token = await tokens.get();
      const answer = await request(
        url,
        { headers: { authorization: `Bearer ${token}`, accept: "application/json" } },
        timeoutMs,
        what,
      );
      if (answer.status !== 401 || attempt === 2) return answer;
      tokens.invalidate(token);
    }
  }

  return {
    tokens,
    async listCdrs({ from, to }) {
      const what = "Anura CDR list";
      const url = new URL("tenants/stats/cdrs/", base);
      // Minutes, local time: widen to whole minutes and cut the answer back to the window below.
      url.searchParams.set("startDate", localMinute(new Date(Math.floor(from.getTime() / 60_000) * 60_000), options.timeZone));
      url.searchParams.set("endDate", localMinute(new Date(Math.ceil(to.getTime() / 60_000) * 60_000), options.timeZone));
      url.searchParams.set("filter", "");
      const answer = await get(url, what);
      if (answer.status !== 200) throw statusError(answer, what);
      const rows = cdrRows(parseJson(answer, what), what);
      return readCdrs(rows, { from, to, timeZone: options.timeZone });
    },
    async recordingLink(cdrid) {
      const what = "Anura recording link";
      const answer = await get(new URL(`tenants/recording/${encodeURIComponent(cdrid)}/url`, base), what);
      if (answer.status === 404) return { url: null, reason: "Anura has no recording for this call (HTTP 404)" };
      if (answer.status !== 200) throw statusError(answer, what);
      const body = parseJson(answer, what);
      const url = typeof body === "string" ? body : pick(body, ["url", "recordingUrl", "recording_url"]);
      if (typeof url === "string" && /^https?:\/\//i.test(url)) return { url };
      return { url: null, reason: "Anura's answer carries no recording URL" };
    },
  };
}

/** The answer is an array, or (another client's shape) an object holding one under cdrs/items/data. */
function cdrRows(body: unknown, what: string): unknown[] {
  if (Array.isArray(body)) return body;
  for (const key of ["cdrs", "items", "data"]) {
    const rows = pick(body, [key]);
    if (Array.isArray(rows)) return rows;
  }
  const got = body === null ? "null" : Array.isArray(body) ? "array" : typeof body;
  throw new AnuraApiError("shape", `${what}: expected an array of CDRs (or an object with cdrs/items/data), got ${got}`);
}

function readCdrs(rows: unknown[], window: { from: Date; to: Date; timeZone: string }): CdrListing {
  const seen = new Set<string>();
  const listing: CdrListing = { cdrs: [], rejected: [] };
  for (const [index, row] of rows.entries()) {
    const read = readCdr(row, window.timeZone);
    if (typeof read === "string") {
      listing.rejected.push({ index, reason: read });
      continue;
    }
    // The API may answer rows from before startDate (and minutes are rounded): keep the window's own.
    const at = Date.parse(read.dialtime);
    if (at < window.from.getTime() || at >= window.to.getTime() || seen.has(read.cdrid)) continue;
    seen.add(read.cdrid);
    listing.cdrs.push(read);
  }
  return listing;
}

/** One row as a Cdr, or why it is not one. */
function readCdr(row: unknown, timeZone: string): Cdr | string {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return "not an object";
  const id = pick(row, ["id", "cdrid", "cdrId"]);
  const cdrid = typeof id === "number" ? String(id) : typeof id === "string" ? id.trim() : "";
  if (!cdrid) return "CDR without an id (id, cdrid or cdrId)";
  if (cdrid.length > 36) return "CDR id longer than 36 characters";
  const dialed = time(pick(row, ["dialTime", "dialtime", "date"]), timeZone);
  if (!dialed) return `CDR ${cdrid} without a readable dialTime`;
  const duration = number(pick(row, ["duration"]));
  const account = pick(row, ["account"]);
  const tags = pick(account, ["tags"]) ?? pick(row, ["accountTags", "accounttags"]);
  return {
    cdrid,
    dialtime: dialed.toISOString(),
    endedAt: new Date(dialed.getTime() + (duration ?? 0) * 1000).toISOString(),
    direction: direction(text(pick(row, ["direction"]))),
    calling: text(pick(row, ["calling"])),
    called: text(pick(row, ["called"])),
    status: text(pick(row, ["status"]))?.toUpperCase() ?? null,
    duration,
    billseconds: number(pick(row, ["billSeconds", "billseconds"])),
    accountname: text(pick(account, ["name"]) ?? pick(row, ["accountName"])),
    accounttags: Array.isArray(tags) ? tags.map(String).join(",") || null : text(tags),
    answerextension: text(pick(row, ["answerExtension", "answerextension"])),
    queueagentextension: text(pick(row, ["queueAgentExtension", "queueagentextension"])),
    queueagentname: text(pick(row, ["queueAgentName", "queueagentname"])),
  };
}

function pick(value: unknown, keys: string[]): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  for (const key of keys) {
    const found = (value as Record<string, unknown>)[key];
    if (found !== undefined && found !== null) return found;
  }
  return undefined;
}

const text = (value: unknown): string | null =>
  typeof value === "string" ? value.trim() || null : typeof value === "number" ? String(value) : null;

function number(value: unknown): number | null {
  const parsed = typeof value === "number" ? value : typeof value === "string" && value.trim() ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/** Epoch milliseconds (as seen), or a date string: ISO with a zone, or local wall-clock time. */
function time(value: unknown, timeZone: string): Date | null {
  const epoch = number(value);
  if (epoch !== null && epoch > 1e11) return new Date(epoch);
  return typeof value === "string" ? parseDialtime(value, timeZone) : null;
}

function direction(value: string | null): string | null {
  if (!value) return null;
  const lower = value.toLowerCase();
  if (lower === "in" || lower === "inbound" || lower === "incoming") return "inbound";
  if (lower === "out" || lower === "outbound" || lower === "outgoing") return "outbound";
  return lower;
}
