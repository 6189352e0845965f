import { describe, expect, it } from "vitest";
import { dashboardSettings, ingesterSettings, workerSettings } from "./apps.ts";
import { EnvError, parseEnv } from "./parse-env.ts";

const s3 = { S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY: "key", S3_SECRET_KEY: "secret-key" };

function problems(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("Postgres beyond one machine", () => {
  it("each app has its own pool size default, and DATABASE_POOL_SIZE overrides it", () => {
    expect(parseEnv(ingesterSettings, {}).database.poolSize).toBe(4);
    expect(parseEnv(workerSettings, s3).database.poolSize).toBe(2);
    expect(parseEnv(dashboardSettings, {}).database.poolSize).toBe(4);
    expect(parseEnv(workerSettings, { ...s3, DATABASE_POOL_SIZE: "6" }).database.poolSize).toBe(6);
    expect(problems(() => parseEnv(ingesterSettings, { DATABASE_POOL_SIZE: "0" }))).toEqual([
      expect.stringMatching(/^DATABASE_POOL_SIZE: /),
    ]);
  });

  it("behind a transaction pooler: prepared statements off, migrations on DATABASE_DIRECT_URL", () => {
    const pooled = parseEnv(ingesterSettings, {
      DATABASE_URL: "postgres://app@pooler:6432/auditoria",
      DATABASE_DIRECT_URL: "postgres://app@db:5432/auditoria",
      DATABASE_PREPARED_STATEMENTS: "false",
    }).database;
    expect(pooled).toEqual({
      url: "postgres://app@pooler:6432/auditoria",
      migrationUrl: "postgres://app@db:5432/auditoria",
      poolSize: 4,
      prepare: false,
    });
    const direct = parseEnv(ingesterSettings, { DATABASE_URL: "postgres://app@db:5432/auditoria" }).database;
    expect(direct).toMatchObject({ migrationUrl: "postgres://app@db:5432/auditoria", prepare: true });
  });
});

describe("Redis Cluster", () => {
  it("REDIS_CLUSTER_NODES names the seed nodes, and the default prefix gets a hash tag", () => {
    const redis = parseEnv(ingesterSettings, { REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b:7001" }).redis;
    expect(redis.clusterNodes).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b", port: 7001 },
    ]);
    expect(redis.queuePrefix).toBe("{anura}");
    expect(parseEnv(ingesterSettings, {}).redis).toMatchObject({ clusterNodes: undefined, queuePrefix: "anura" });
  });

  it("a prefix without a hash tag in cluster mode stops every app at start, saying why and what to set", () => {
    const env = { ...s3, REDIS_CLUSTER_NODES: "127.0.0.1:7000", QUEUE_PREFIX: "prod" };
    for (const settings of [ingesterSettings, dashboardSettings, workerSettings]) {
      expect(problems(() => parseEnv(settings, env))).toEqual([
        expect.stringMatching(/^QUEUE_PREFIX: "prod" has no \{hash tag\}.*CROSSSLOT.*QUEUE_PREFIX=\{prod\}/),
      ]);
    }
    expect(parseEnv(ingesterSettings, { ...env, QUEUE_PREFIX: "prod-{anura}" }).redis.queuePrefix).toBe("prod-{anura}");
  });

  it("a malformed seed node is refused", () => {
    expect(problems(() => parseEnv(ingesterSettings, { REDIS_CLUSTER_NODES: "127.0.0.1" }))).toEqual([
      expect.stringMatching(/^REDIS_CLUSTER_NODES.*host:port/),
    ]);
  });
});
