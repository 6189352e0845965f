import type { Alarms } from "../alarms/alarm-monitor.ts";
import { formatDuration, html, type SafeHtml } from "../http/html.ts";
import { type Section, section } from "./layout.ts";

/** The silence banner (only while a source is silent) and the transcription figures, atop the overview. */
export function renderAlarms(alarms: Section<Alarms>): SafeHtml {
  return section(alarms, (value) => html`${silenceBanner(value)}${stallFigure(value)}`);
}

function silenceBanner(alarms: Alarms): SafeHtml {
  const silent = alarms.sources.filter((source) => source.silent);
  if (silent.length === 0) return html``;
  return html`<div class="problem" role="alert"><h2>Anura stopped sending</h2>
<p>${silent.length === 1 ? "This API key usually sends" : "These API keys usually send"} at this hour of the week but ${silent.length === 1 ? "has" : "have"} sent nothing recently:</p>
<table><tr><th>Key</th><th>Name</th><th>Last event</th><th>Usual events in that time</th></tr>
${silent.map(
  (source) => html`<tr><td><code>${source.keyPrefix}</code></td><td>${source.keyName}</td>
<td>${source.lastEventAt ? html`${formatDuration(alarms.evaluatedAt.getTime() - source.lastEventAt.getTime())} ago` : "never"}</td>
<td class="n">${Math.round(source.expectedEvents)}</td></tr>`,
)}</table>
<p>In Anura, check that the request template and each hook using this key still have "Activo" ticked, and that the key was not revoked (<code>pnpm cli api-keys list</code>).</p></div>`;
}

function stallFigure(alarms: Alarms): SafeHtml {
  const { stalled, oldestPendingSeconds, afterSeconds } = alarms.stall;
  return html`<h2>Transcription (AuditorIA)</h2>
<table>
  <tr><th>Our tasks pending longer than ${formatDuration(afterSeconds * 1000)}</th><td class="n${stalled > 0 ? " problem" : ""}">${stalled}</td></tr>
  <tr><th>Oldest of our tasks still pending</th><td class="n">${oldestPendingSeconds > 0 ? formatDuration(oldestPendingSeconds * 1000) : "-"}</td></tr>
</table>
${stalled > 0 ? html`<p class="problem">AuditorIA's transcription workers are not picking up tasks: check that they are running and can reach Postgres and the bucket.</p>` : ""}`;
}
