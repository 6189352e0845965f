import type { RecordingRetrySettings } from "@anura/config";
import { html, type SafeHtml } from "../http/html.ts";
import type { CallLookup } from "./call-lookup.ts";
import { fields, type Section, section } from "./layout.ts";
import { renderTimeline } from "./render-timeline.ts";
import { timelineSteps } from "./timeline-steps.ts";

/** The lookup form, pre-filled with the call being shown. */
export function renderCallForm(cdrid: string): SafeHtml {
  return html`<form method="get" action="/" class="lookup">
<label>Call id (cdrid) <input name="call" value="${cdrid}" maxlength="36" placeholder="as Anura sends it"></label>
<button type="submit">Show its timeline</button></form>`;
}

// Phone numbers (call_logs.ani_tel, anura_calls.state) are deliberately never rendered.
export function renderCall(result: Section<CallLookup>, schedule: RecordingRetrySettings, notice?: string): SafeHtml {
  return section(result, (lookup) => {
    if (lookup.events.length === 0 && !lookup.call) {
      return html`<h2>Call ${lookup.cdrid}</h2><p class="problem">No events or call stored with this cdrid: check the id (Anura's cdrid, up to 36 characters).</p>`;
    }
    return html`<h2>Call ${lookup.cdrid}</h2>
${notice ? html`<p class="notice">${notice}</p>` : ""}
${renderTimeline(lookup.cdrid, timelineSteps(lookup, schedule))}
<details><summary>Stored rows (anura_calls, call_logs, tasks)</summary>
<h3>anura_calls</h3>${lookup.call ? renderCallRow(lookup.call) : html`<p class="hint">None yet.</p>`}
<h3>call_logs</h3>${lookup.callLog ? renderCallLog(lookup.callLog) : html`<p class="hint">None yet.</p>`}
<h3>tasks</h3>${lookup.task ? renderTask(lookup.task) : html`<p class="hint">None yet.</p>`}
</details>`;
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
