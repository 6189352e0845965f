import { type Db, findActiveApiKey, hashApiKey, touchApiKey } from "@anura/db";

export interface ApiKeyIdentity {
  id: number;
  name: string;
  prefix: string;
}

interface Entry {
  identity: ApiKeyIdentity | null;
  /** Past this, a lookup still answers from memory but refreshes the entry in the background. */
  refreshAt: number;
  /** Past this, a lookup waits for Postgres: a revoked key stops working by then at the latest. */
  expiresAt: number;
}

const MAX_ENTRIES = 10_000; // bounded: wrong keys must not grow memory

/**
 * Answers "is this key active?" from memory, so a webhook costs no database round trip. An entry
 * in use is refreshed in the background during the last quarter of its life, so a steady caller
 * never waits for Postgres; concurrent lookups of one key share one query (single flight). Keys
 * are looked up by SHA-256, so lookup timing tells an attacker nothing about stored keys.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<ApiKeyIdentity | null>>();
  private readonly touchedAt = new Map<number, number>();

  private readonly db: Db;
  private readonly ttlMs: number;

  constructor(db: Db, ttlMs: number) {
    this.db = db;
    this.ttlMs = ttlMs;
  }

  async lookup(plainKey: string): Promise<ApiKeyIdentity | null> {
    const hash = hashApiKey(plainKey);
    const now = Date.now();
    const cached = this.entries.get(hash);
    if (cached && cached.expiresAt > now) {
      // A failed background refresh leaves the entry as it was: it is retried by the next lookup.
      if (cached.refreshAt <= now) this.load(hash).catch(() => {});
      return this.used(cached.identity, now);
    }
    return this.used(await this.load(hash), now);
  }

  /** One query per key at a time, however many requests ask for it meanwhile. */
  private load(hash: string): Promise<ApiKeyIdentity | null> {
    const running = this.inFlight.get(hash);
    if (running) return running;
    const query = findActiveApiKey(this.db, hash)
      .then((identity) => {
        const now = Date.now();
        if (this.entries.size >= MAX_ENTRIES && !this.entries.has(hash)) this.entries.clear();
        this.entries.set(hash, { identity, refreshAt: now + (this.ttlMs * 3) / 4, expiresAt: now + this.ttlMs });
        return identity;
      })
      .finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, query);
    return query;
  }

  /** Record last_used_at at most once a minute per key, off the request path. */
  private used(identity: ApiKeyIdentity | null, now: number): ApiKeyIdentity | null {
    if (identity && now - (this.touchedAt.get(identity.id) ?? 0) > 60_000) {
      this.touchedAt.set(identity.id, now);
      touchApiKey(this.db, identity.id).catch(() => this.touchedAt.delete(identity.id));
    }
    return identity;
  }
}
