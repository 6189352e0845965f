import type { Alarms } from "../alarms/alarm-monitor.ts";
import { renderChartFigure } from "../charts/chart-figure.ts";
import { formatDuration, html, type SafeHtml } from "../http/html.ts";
import type { Activity } from "./activity.ts";
import { renderAlarms } from "./alarms.ts";
import type { Chart } from "./hourly-charts.ts";
import { type Section, section } from "./layout.ts";
import type { FailedFetch, QueueHealth } from "./queue-health.ts";
import { type RecoveredCalls, renderRecoveredCalls } from "./recovered-calls.ts";

export interface OverviewData {
  alarms: Section<Alarms>;
  charts: Section<Chart[]>;
  activity: Section<Activity>;
  queues: Section<QueueHealth[]>;
  failedFetches: Section<FailedFetch[]>;
  recovered: Section<RecoveredCalls>;
}

export function renderOverview(data: OverviewData): SafeHtml {
  return html`${renderAlarms(data.alarms)}
<h2>Last 24 hours, per hour</h2>
${section(data.charts, (charts) => html`<div class="charts">${charts.map(renderChartFigure)}</div>`)}
<h2>Calls recovered from Anura's CDR list, per hour</h2>
${section(data.recovered, renderRecoveredCalls)}
<h2>Last 24 hours, totals</h2>
${section(data.activity, renderActivity)}
<h2>Queues</h2>
${section(data.queues, renderQueues)}
<h2>Failed recording downloads (latest 20)</h2>
${section(data.failedFetches, renderFailedFetches)}`;
}

function renderActivity(activity: Activity): SafeHtml {
  const events = activity.eventsByTrigger.length
    ? html`<table><tr><th>Trigger</th><th>Events</th></tr>${activity.eventsByTrigger.map(
        (row) => html`<tr><td>${row.trigger}</td><td class="n">${row.count}</td></tr>`,
      )}</table>`
    : html`<p class="hint">No webhook events received in the last 24 hours.</p>`;
  return html`${events}
<table>
  <tr><th>Recordings stored</th><td class="n">${activity.recordingsStored}</td></tr>
  <tr><th>Tasks created</th><td class="n">${activity.tasksCreated}</td></tr>
  <tr><th>Unmapped calls (no task, all time)</th><td class="n">${activity.unmappedCalls}</td></tr>
</table>
${activity.unmappedCalls > 0 ? html`<p class="hint">Unmapped calls lack a campaign or operator: create the campaign (<code>pnpm cli campaigns create</code>), then <code>pnpm cli calls remap</code>.</p>` : ""}`;
}

function renderQueues(queues: QueueHealth[]): SafeHtml {
  return html`<table>
<tr><th>Queue</th><th>Waiting</th><th>Active</th><th>Delayed</th><th>Failed</th><th>Oldest waiting</th></tr>
${queues.map(
  (queue) => html`<tr><td>${queueLinks(queue)}</td>
<td class="n">${queue.waiting}</td><td class="n">${queue.active}</td><td class="n">${queue.delayed}</td>
<td class="n">${queue.failed}</td><td class="n">${formatDuration(queue.oldestWaitingMs)}</td></tr>`,
)}
</table>`;
}

/** The queue's Bull Board page, or with partitions its name and each partition's page. */
function queueLinks({ name, queueNames }: QueueHealth): SafeHtml {
  const page = (queue: string, text: string) => html`<a href="/admin/queues/queue/${encodeURIComponent(queue)}">${text}</a>`;
  if (queueNames.length <= 1) return page(queueNames[0] ?? name, name);
  return html`${name} (${queueNames.map((queue, index) => html`${index > 0 ? ", " : ""}${page(queue, queue)}`)})`;
}

function renderFailedFetches(jobs: FailedFetch[]): SafeHtml {
  if (jobs.length === 0) return html`<p class="hint">None.</p>`;
  return html`<table>
<tr><th>Job</th><th>Call (cdrid)</th><th>Failed at</th><th>Attempts</th><th>Reason</th></tr>
${jobs.map(
  (
    job,
  ) => html`<tr><td><a href="/admin/queues/queue/${encodeURIComponent(job.queue)}?status=failed">${job.jobId}</a></td><td><a href="/?call=${encodeURIComponent(job.cdrid)}">${job.cdrid}</a></td>
<td>${job.failedAt}</td><td class="n">${job.attempts}</td><td>${job.reason}</td></tr>`,
)}
</table>
<p class="hint">Retry them in Bull Board (each job links to its queue's failed list) or with <code>pnpm cli jobs retry-failed --queue recording.fetch [--reason text]</code> (every partition).</p>`;
}
