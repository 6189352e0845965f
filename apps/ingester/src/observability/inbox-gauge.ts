import { type Db, inboxSize } from "@anura/db";
import { Gauge, type Registry } from "prom-client";

/** Events waiting in the Postgres inbox: above 0 means Redis refused them (the "inbox in use" alert). */
export function registerInboxGauge(registry: Registry, db: Db): void {
  let last = 0;
  new Gauge({
    name: "anura_inbox_events",
    help: "Accepted events waiting in the Postgres inbox for Redis to come back",
    registers: [registry],
    async collect() {
      // Postgres down too: keep the last value rather than fail the whole scrape.
      last = await inboxSize(db).catch(() => last);
      this.set(last);
    },
  });
}
