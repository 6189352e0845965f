// Baseline child for (8): a bare BullMQ worker whose job is one INSERT … ON CONFLICT DO NOTHING of its payload,
// with the worker's concurrency and Postgres pool size (argv) and node flags (the bench starts it with them).
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import postgres from "postgres";

const [queueName, prefix, concurrency, poolSize] = process.argv.slice(2) as [string, string, string, string];
const sql = postgres(process.env.DATABASE_URL as string, { max: Number(poolSize), onnotice: () => {} });
await sql`create table if not exists bench_bare_events (id uuid primary key, cdrid text not null, payload jsonb not null)`;
const connection = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: null });
const worker = new Worker(
  queueName,
  async (job) => {
    const { eventId, event } = job.data as { eventId: string; event: { cdrid: string } };
    await sql`insert into bench_bare_events (id, cdrid, payload) values (${eventId}, ${event.cdrid}, ${sql.json(event)})
              on conflict do nothing`;
  },
  { connection, prefix, concurrency: Number(concurrency) },
);
process.once("SIGTERM", async () => {
  await worker.close();
  await sql.end({ timeout: 2 });
  connection.disconnect();
  process.exit(0);
});
