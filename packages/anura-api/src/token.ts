import { AnuraApiError } from "./errors.ts";
import { parseJson, request, statusError } from "./http.ts";

export interface TokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  now?: () => number;
}

export interface TokenSource {
  /** A valid access token: the cached one, or a new one when it is about to expire. */
  get(): Promise<string>;
  /** Forget `token` (Anura answered 401 to it): the next get() asks for a new one. */
  invalidate(token: string): void;
  /** How many tokens were fetched, for tests and logs. */
  fetched(): number;
}

/** OAuth2 client credentials (HTTP Basic) against Anura's Keycloak; the token lives only in memory. */
export function createTokenSource(options: TokenOptions): TokenSource {
  const now = options.now ?? Date.now;
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString(
    "base64",
  );
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;
  let count = 0;

  async function fetchToken(): Promise<string> {
    const what = "Anura token endpoint";
    const answer = await request(
      new URL(options.tokenUrl),
      {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      },
      options.timeoutMs,
      what,
    );
    if (answer.status !== 200) {
      const error = statusError(answer, what);
      if (error.kind === "auth") error.message += ": check ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET";
      throw error;
    }
    const body = parseJson(answer, what) as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof body?.access_token !== "string" || body.access_token === "") {
      throw new AnuraApiError("shape", `${what}: answer has no access_token`);
    }
    const expiresIn = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 60;
    // Renew shortly before it expires: a tenth of its life, at most 30 s early.
    const marginSeconds = Math.min(30, expiresIn / 10);
    cached = { token: body.access_token, renewAt: now() + (expiresIn - marginSeconds) * 1000 };
    count++;
    return body.access_token;
  }

  return {
    async get() {
      if (cached && now() < cached.renewAt) return cached.token;
      // Concurrent callers share one request.
      pending ??= fetchToken().finally(() => {
        pending = null;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
    fetched: () => count,
  };
}
