import { formatTime, html, type SafeHtml } from "../http/html.ts";
import type { Step } from "./recording-steps.ts";

const MARKS: Record<Step["tone"], string> = { done: "✓", waiting: "…", problem: "!", info: "•" };

/** The call's story as a list; a failed download carries the button that retries it. */
export function renderTimeline(cdrid: string, steps: Step[]): SafeHtml {
  return html`<ol class="timeline">${steps.map(
    (step) => html`<li class="${step.tone}">
<span class="mark" aria-hidden="true">${MARKS[step.tone]}</span>
<span class="when">${step.at ? formatTime(step.at) : "next"}</span>
<div class="what"><strong>${step.title}</strong>${step.detail ? html`<div class="detail">${step.detail}</div>` : ""}
${step.retry ? retryButton(cdrid) : ""}</div></li>`,
  )}</ol>`;
}

function retryButton(cdrid: string): SafeHtml {
  return html`<form method="post" action="/calls/${encodeURIComponent(cdrid)}/retry-recording" class="retry">
<button type="submit">Retry the download</button></form>`;
}
