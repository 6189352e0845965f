import { html, type SafeHtml } from "../http/html.ts";
import type { Section } from "../overview/layout.ts";
import { section } from "../overview/layout.ts";
import { reasonById } from "./reasons.ts";
import { RECORDING_CANDIDATES } from "./recording-problems.ts";
import { MAX_ROWS, type Worklist, type WorklistRequest } from "./worklist.ts";

/** What a finished bulk action reported, read back from its redirect. */
export interface BulkNotice {
  reason: string;
  touched: number;
}

/** The "Needs attention" section at the top of the overview: counts per reason, one page of calls, bulk actions. */
export function renderWorklist(worklist: Section<Worklist>, notice: BulkNotice | null): SafeHtml {
  return html`<h2 id="needs-attention">Needs attention</h2>
${notice ? renderNotice(notice) : ""}
${section(worklist, renderBody)}`;
}

function renderNotice(notice: BulkNotice): SafeHtml {
  const reason = reasonById(notice.reason);
  if (!reason?.bulk) return html``;
  const calls = `${notice.touched} call${notice.touched === 1 ? "" : "s"}`;
  return html`<p class="notice" data-bulk-result="${reason.id}">${reason.bulk.label} (${reason.label}): ${calls} touched. Reload to follow them.</p>`;
}

function renderBody(worklist: Worklist): SafeHtml {
  const { request, rows, total, pageSize } = worklist;
  const first = total === 0 ? 0 : (request.page - 1) * pageSize + 1;
  const last = Math.min(total, request.page * pageSize);
  const filter = request.reason ? reasonById(request.reason)?.label : "every reason";
  return html`<table class="attention-counts">
<tr><th>Reason</th><th>Calls</th><th></th></tr>
${worklist.counts.map(
  ({ reason, total: count }) => html`<tr data-reason="${reason.id}"${request.reason === reason.id ? html` class="selected"` : ""}>
<td><a href="${link({ reason: reason.id, page: 1 })}">${reason.label}</a></td><td class="n">${count}</td>
<td>${reason.bulk && count > 0 ? html`<form method="post" action="/needs-attention/${reason.id}/bulk" class="retry"><button type="submit">${reason.bulk.label}</button></form>` : ""}</td></tr>`,
)}
<tr><td><a href="${link({ reason: null, page: 1 })}">All reasons</a></td><td class="n">${worklist.counts.reduce((sum, c) => sum + c.total, 0)}</td><td></td></tr>
</table>
${worklist.recordingsTruncated ? html`<p class="hint">Over ${RECORDING_CANDIDATES} recorded calls are without a recording: the recording reasons count the newest ${RECORDING_CANDIDATES} of them.</p>` : ""}
<p class="hint">Showing ${first}–${last} of ${total} (${filter}), newest problem first ·
<a href="/needs-attention?format=csv${request.reason ? `&reason=${encodeURIComponent(request.reason)}` : ""}">CSV</a></p>
${rows.length === 0 ? html`<p class="hint">Nothing needs a person right now.</p>` : renderRows(worklist)}
${renderPaging(worklist)}`;
}

function renderRows(worklist: Worklist): SafeHtml {
  return html`<table class="attention">
<tr><th>Call (cdrid)</th><th>Reason</th><th>Since</th><th>What is wrong</th><th>If nobody acts</th></tr>
${worklist.rows.map(
  (row) => html`<tr data-reason="${row.reason}"><td><a href="/?call=${encodeURIComponent(row.cdrid)}">${row.cdrid}</a></td>
<td>${reasonById(row.reason)?.label ?? row.reason}</td><td>${row.since}</td><td>${row.detail}</td><td>${row.next}</td></tr>`,
)}
</table>`;
}

function renderPaging(worklist: Worklist): SafeHtml {
  const { request, total, pageSize } = worklist;
  const newer = request.page > 1 ? html`<a href="${link({ ...request, page: request.page - 1 })}">← newer</a>` : "";
  const older =
    request.page * pageSize < Math.min(total, MAX_ROWS)
      ? html`<a href="${link({ ...request, page: request.page + 1 })}">older →</a>`
      : "";
  return newer || older ? html`<p class="paging">${newer} ${older}</p>` : html``;
}

function link(request: WorklistRequest): string {
  const query = new URLSearchParams();
  if (request.reason) query.set("reason", request.reason);
  if (request.page > 1) query.set("page", String(request.page));
  const search = query.toString();
  return `/needs-attention${search ? `?${search}` : ""}`;
}
