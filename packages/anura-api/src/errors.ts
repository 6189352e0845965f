/** What went wrong talking to Anura, as a label for metrics and logs. */
export type AnuraApiErrorKind = "auth" | "http" | "timeout" | "network" | "malformed" | "shape" | "too_large";

/**
 * A failed request to Anura's API. Its message names the endpoint (path only) and what was wrong; it
 * never carries the client secret, a token or a query string.
 */
export class AnuraApiError extends Error {
  readonly kind: AnuraApiErrorKind;
  readonly status: number | undefined;

  constructor(kind: AnuraApiErrorKind, message: string, status?: number) {
    super(message);
    this.name = "AnuraApiError";
    this.kind = kind;
    this.status = status;
  }
}

export const isAnuraApiError = (error: unknown): error is AnuraApiError => error instanceof AnuraApiError;
