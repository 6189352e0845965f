import { type Db, recoveredCallsPerHour } from "@anura/db";
import { html, type SafeHtml } from "../http/html.ts";
import type { Step } from "./recording-steps.ts";

const HOUR = 3_600_000;

export interface RecoveredCalls {
  /** Hour start (UTC ISO) → calls created from Anura's CDR list that hour, last 24 hours, hours with none left out. */
  perHour: [hour: string, calls: number][];
  total: number;
}

/** Calls that reached us only through reconciliation with Anura's CDR list, per hour: each is a lost webhook. */
export async function recoveredCalls(db: Db, now = Date.now()): Promise<RecoveredCalls> {
  const since = new Date(Math.floor(now / HOUR) * HOUR - 23 * HOUR);
  const perHour = [...(await recoveredCallsPerHour(db, since))].sort(([a], [b]) => a.localeCompare(b));
  return { perHour, total: perHour.reduce((sum, [, calls]) => sum + calls, 0) };
}

export function renderRecoveredCalls(recovered: RecoveredCalls): SafeHtml {
  if (recovered.total === 0) {
    return html`<p class="hint">None in the last 24 hours: every call we know of came with its webhooks.</p>`;
  }
  return html`<table>
<tr><th>Hour (UTC)</th><th>Calls recovered</th></tr>
${recovered.perHour.map(([hour, calls]) => html`<tr><td>${hour.slice(0, 13).replace("T", " ")}:00</td><td class="n">${calls}</td></tr>`)}
<tr><th>Total</th><td class="n">${recovered.total}</td></tr>
</table>
<p class="hint">Each one is a call whose webhooks never reached us (see the alert AnuraCdrCallsRecovered in the README's runbook).</p>`;
}

/** The timeline line for the END that reconciliation made from the call's CDR. */
export function cdrEventStep(event: { receivedAt: Date }, webhooks: number, recordingUnavailable: string | null): Step {
  const detail = [
    webhooks === 0
      ? "no webhook came for this call: it was created from the CDR as if its END had arrived"
      : `its webhooks came as well (${webhooks} event${webhooks === 1 ? "" : "s"}): still one call, one call log, one task`,
    recordingUnavailable ? `recording not obtainable: ${recordingUnavailable}` : null,
  ]
    .filter(Boolean)
    .join("; ");
  return {
    at: event.receivedAt,
    tone: webhooks === 0 ? "problem" : "info",
    title: "Found through Anura's CDR list (reconciliation)",
    detail,
  };
}
