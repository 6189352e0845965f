import { type Db, findActiveApiKey, hashApiKey, touchApiKey } from "@anura/db";

export interface ApiKeyIdentity {
  id: number;
  name: string;
  prefix: string;
}

/**
 * Answers "is this key active?" from memory for a few seconds, so a webhook costs no database
 * round trip; a revoked key stops working once its entry expires. Keys are looked up by SHA-256,
 * so lookup timing tells an attacker nothing about stored keys.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { identity: ApiKeyIdentity | null; expiresAt: number }>();
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
    if (cached && cached.expiresAt > now) return this.used(cached.identity, now);
    const identity = await findActiveApiKey(this.db, hash);
    if (this.entries.size > 10_000) this.entries.clear(); // bounded: wrong keys must not grow memory
    this.entries.set(hash, { identity, expiresAt: now + this.ttlMs });
    return this.used(identity, now);
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
