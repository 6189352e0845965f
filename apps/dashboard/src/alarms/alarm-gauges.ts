import { Gauge, type Registry } from "prom-client";
import type { AlarmMonitor } from "./alarm-monitor.ts";

/** The silence and stall gauges the shipped alert rules read, evaluated at scrape time. */
export function registerAlarmGauges(registry: Registry, monitor: AlarmMonitor): void {
  // Postgres down: report the last evaluation rather than fail the whole scrape.
  const alarms = () => monitor.current().catch(() => monitor.lastKnown());
  new Gauge({
    name: "anura_source_silent",
    help: "1 when an API key that usually sends at this hour of the week has sent nothing for SILENCE_ALERT_AFTER",
    labelNames: ["key_prefix"],
    registers: [registry],
    async collect() {
      const current = await alarms();
      if (!current) return;
      this.reset(); // a revoked key's series goes away
      for (const source of current.sources) this.set({ key_prefix: source.keyPrefix }, source.silent ? 1 : 0);
    },
  });
  new Gauge({
    name: "anura_transcription_stalled_tasks",
    help: "Tasks we created that AuditorIA has left pending for longer than TRANSCRIPTION_STALL_AFTER",
    registers: [registry],
    async collect() {
      const current = await alarms();
      if (current) this.set(current.stall.stalled);
    },
  });
  new Gauge({
    name: "anura_transcription_oldest_pending_seconds",
    help: "Age of the oldest task we created that is still pending (0 when none is)",
    registers: [registry],
    async collect() {
      const current = await alarms();
      if (current) this.set(current.stall.oldestPendingSeconds);
    },
  });
}
