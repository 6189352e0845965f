import type { IncomingHttpHeaders } from "node:http";
import type { Request } from "got";
import type { AddressGuard } from "./address-guard.ts";
import { RecordingNotReady, RecordingRejected } from "./errors.ts";
import { parseRetryAfter } from "./retry-after.ts";

const MAX_REDIRECTS = 3;

export interface DownloadOptions {
  guard: AddressGuard;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** Sent only after the host asked for credentials (401/403). */
  auth?: { name: string; value: string };
}

/** Opens the recording as a stream once the host answered 2xx; classifies every other outcome. */
export async function openRecording(url: string, options: DownloadOptions): Promise<Request> {
  options.guard.checkUrl(url);
  let attempt = await request(url, options, false);
  if ((attempt.statusCode === 401 || attempt.statusCode === 403) && options.auth) {
    attempt.stream.destroy();
    attempt = await request(url, options, true);
  }
  const { stream, statusCode, headers } = attempt;
  if (statusCode >= 200 && statusCode < 300) return stream;
  stream.destroy();
  const retryAfterMs = parseRetryAfter(headers["retry-after"] as string | undefined);
  if (statusCode === 404 || statusCode === 408 || statusCode === 425 || statusCode === 429 || statusCode >= 500) {
    throw new RecordingNotReady(`recording host answered ${statusCode}: not ready yet or failing`, retryAfterMs, statusCode);
  }
  if (statusCode === 401 || statusCode === 403) {
    throw new RecordingRejected(
      `recording host answered ${statusCode}: the link expired or needs credentials (set ANURA_RECORDING_AUTH), then retry`,
    );
  }
  throw new RecordingRejected(`recording host answered ${statusCode}: the URL is not a downloadable recording`);
}

interface Attempt {
  stream: Request;
  statusCode: number;
  headers: IncomingHttpHeaders;
}

async function request(url: string, options: DownloadOptions, withAuth: boolean): Promise<Attempt> {
  // Loaded on the first download: an idle worker, or one only merging events, never needs got.
  const { default: got } = await import("got");
  const stream = got.stream(url, {
    retry: { limit: 0 }, // the queue owns retries
    throwHttpErrors: false,
    maxRedirects: MAX_REDIRECTS,
    decompress: false, // the bytes as served: Content-Length stays exact and no gzip bomb slips past the size limit
    dnsLookup: options.guard.lookup as never,
    headers: withAuth && options.auth ? { [options.auth.name]: options.auth.value } : {},
    timeout: {
      lookup: options.connectTimeoutMs,
      connect: options.connectTimeoutMs,
      secureConnect: options.connectTimeoutMs,
      response: options.idleTimeoutMs,
      socket: options.idleTimeoutMs,
    },
    hooks: {
      beforeRedirect: [
        (next) => {
          const target = options.guard.checkUrl(next.url?.toString() ?? "");
          // got drops Authorization on a cross-origin redirect, not a custom header: keep the credential home.
          if (withAuth && options.auth && target.origin !== new URL(url).origin) {
            next.headers = withoutHeader(next.headers, options.auth.name);
          }
        },
      ],
    },
  });
  return new Promise((resolve, reject) => {
    stream.once("response", (response) => {
      stream.off("error", onError);
      resolve({ stream, statusCode: response.statusCode, headers: response.headers });
    });
    const onError = (error: Error) => reject(classifyTransportError(error));
    stream.once("error", onError);
  });
}

function withoutHeader(headers: Record<string, unknown>, name: string): Record<string, string> {
  const lower = name.toLowerCase();
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== lower)) as Record<string, string>;
}

/** Refusals stay refusals; resets, timeouts and refused connections are worth another try. */
export function classifyTransportError(error: Error): Error {
  let current: unknown = error;
  while (current instanceof Error) {
    if (current instanceof RecordingRejected || current instanceof RecordingNotReady) return current;
    current = current.cause;
  }
  const code = (error as { code?: string }).code ?? error.name;
  if (code === "ERR_UNSUPPORTED_PROTOCOL") {
    return new RecordingRejected("recording URL redirected to a scheme that is not allowed: only http and https");
  }
  if (code === "ERR_TOO_MANY_REDIRECTS") {
    return new RecordingRejected(
      `recording URL redirected more than ${MAX_REDIRECTS} times: the host loops or the link is not a direct recording link`,
    );
  }
  return new RecordingNotReady(`recording download failed (${code}): will retry`, undefined, 0);
}
