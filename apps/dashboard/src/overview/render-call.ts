import { html, type SafeHtml } from "../http/html.ts";
import type { CallLookup } from "./call-lookup.ts";
import { fields, type Section, section } from "./layout.ts";

/** The lookup form, pre-filled with the call being shown. */
export function renderCallForm(cdrid: string): SafeHtml {
  return html`<form method="get" action="/">
<label>Call id (cdrid) <input name="call" value="${cdrid}" maxlength="36" placeholder="as Anura sends it"></label>
<button type="submit">Look up</button></form>`;
}

// Phone numbers (call_logs.ani_tel, anura_calls.state) are deliberately never rendered.
export function renderCall(result: Section<CallLookup>): SafeHtml {
  return section(result, (lookup) => {
    if (lookup.events.length === 0 && !lookup.call) {
      return html`<h2>Call ${lookup.cdrid}</h2><p class="problem">No events or call stored with this cdrid: check the id (Anura's cdrid, up to 36 characters).</p>`;
    }
    return html`<h2>Call ${lookup.cdrid}</h2>
<h3>Events (anura_events)</h3>
<table><tr><th>Trigger</th><th>Received</th><th>Event id</th></tr>
${lookup.events.map((event) => html`<tr><td>${event.trigger}</td><td>${event.receivedAt}</td><td>${event.id}</td></tr>`)}
</table>
<h3>Call (anura_calls)</h3>
${lookup.call ? renderCallRow(lookup.call) : html`<p class="hint">Not derived yet: the worker has not processed its events.</p>`}
<h3>Call log (call_logs)</h3>
${lookup.callLog ? renderCallLog(lookup.callLog) : html`<p class="hint">None: written once the call has a campaign and an operator.</p>`}
<h3>Task (tasks)</h3>
${lookup.task ? renderTask(lookup.task) : html`<p class="hint">None: created once the call is mapped and its recording is stored.</p>`}`;
  });
}

function renderCallRow(call: NonNullable<CallLookup["call"]>): SafeHtml {
  return fields([
    ["Campaign", call.campaignId],
    ["Operator", call.operatorId],
    ["Unmapped reason", call.unmappedReason ?? "none (mapped)"],
    ["Recording key", call.recordingKey],
    ["Recording bytes", call.recordingBytes],
    ["Recording stored at", call.recordingStoredAt],
    ["Task uuid", call.taskUuid],
    ["Updated", call.updatedAt],
  ]);
}

function renderCallLog(log: NonNullable<CallLookup["callLog"]>): SafeHtml {
  return fields([
    ["File name", log.fileName],
    ["Campaign", log.campaignId],
    ["Operator", log.operatorId],
    ["Direction", log.direction],
    ["Call start", log.callStartDate],
    ["Call end", log.callEndDate],
    ["Seconds", log.sectot],
    ["URL", log.url],
    ["Log", log.log],
    ["Updated", log.updatedAt],
  ]);
}

function renderTask(task: NonNullable<CallLookup["task"]>): SafeHtml {
  return fields([
    ["Uuid", task.uuid],
    ["Status", task.status],
    ["File name", task.fileName],
    ["URL", task.url],
    ["Audio duration (s)", task.audioDuration],
    ["Type", task.taskType],
    ["Error", task.error],
    ["Created", task.createdAt],
    ["Updated", task.updatedAt],
  ]);
}
