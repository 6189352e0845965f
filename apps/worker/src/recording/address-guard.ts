import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";
import { RecordingRejected } from "./errors.ts";

/**
 * Decides which recording URLs may be fetched. Without an allow-list only public addresses are
 * reachable; an allow-list narrows the hosts and is the only way to reach a private address.
 */
export class AddressGuard {
  private readonly patterns: { host: RegExp; port?: string }[];

  constructor(allowedHosts: string[] | undefined) {
    this.patterns = (allowedHosts ?? []).map((entry) => {
      const [host = "", port] = splitHostPort(entry.toLowerCase());
      const regex = host.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^.]+");
      return { host: new RegExp(`^${regex}$`), port };
    });
  }

  /** Throws RecordingRejected when the URL may not be requested at all. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new RecordingRejected("recording URL is not a valid URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new RecordingRejected(`recording URL scheme ${url.protocol} is not allowed: only http and https`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    if (this.patterns.length > 0) {
      if (!this.patterns.some((p) => p.host.test(host) && (!p.port || p.port === port))) {
        throw new RecordingRejected(`recording host ${host}:${port} is not in RECORDING_ALLOWED_HOSTS`);
      }
      return url;
    }
    if (ipaddr.isValid(host)) assertPublic(host);
    return url;
  }

  /** A DNS lookup for the HTTP client that refuses private answers, so rebinding cannot sneak past checkUrl. */
  readonly lookup = (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      try {
        if (this.patterns.length === 0) for (const entry of addresses) assertPublic(entry.address);
      } catch (refusal) {
        return callback(refusal as Error, "", 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as AllCallback)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse("::"), 96];

type LookupCallback = (error: Error | null, address: string, family: number) => void;
type AllCallback = (error: Error | null, addresses: LookupAddress[]) => void;

function assertPublic(address: string): void {
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 is judged as the IPv4 it maps
  // ipaddr.js calls the deprecated IPv4-compatible ::a.b.c.d "unicast"; it is never a public host.
  let range: string = parsed.range();
  if (range === "unicast" && parsed instanceof ipaddr.IPv6 && parsed.match(IPV4_COMPATIBLE)) range = "ipv4Compatible";
  if (range !== "unicast") {
    throw new RecordingRejected(`recording address is ${range}, not public: allow it in RECORDING_ALLOWED_HOSTS if intended`);
  }
}

function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] as string, bracketed[2]];
  const parts = entry.split(":");
  return parts.length === 2 ? [parts[0] as string, parts[1]] : [entry, undefined];
}
