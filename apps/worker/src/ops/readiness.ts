import type { Redis } from "ioredis";
import type postgres from "postgres";

export interface Readiness {
  redis: boolean;
  postgres: boolean;
}

/** Whether this worker can take jobs now: Redis and Postgres both answer. */
export async function checkReadiness(redis: Redis, sql: postgres.Sql): Promise<Readiness> {
  const [redisOk, postgresOk] = await Promise.all([
    redis.ping().then(
      () => true,
      () => false,
    ),
    sql`select 1`.then(
      () => true,
      () => false,
    ),
  ]);
  return { redis: redisOk, postgres: postgresOk };
}
