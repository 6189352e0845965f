import { html, type SafeHtml } from "../http/html.ts";

/** A section's data, or why it could not be read (the rest of the page still renders). */
export type Section<T> = { ok: true; value: T } | { ok: false; problem: string };

export function layout(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem; padding: 0 1rem; color: #1f2328; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
  table { border-collapse: collapse; margin: .5rem 0; } th, td { text-align: left; padding: .25rem .75rem .25rem 0; vertical-align: top; }
  th { color: #59636e; font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .problem { color: #b42318; } .hint { color: #59636e; } code { background: #f6f8fa; padding: 0 .25rem; }
  nav a { margin-right: 1rem; } input { font: inherit; width: 22rem; }
</style></head>
<body><h1>Anura → AuditorIA</h1>
<nav><a href="/">Overview</a><a href="/admin/queues">Queues (Bull Board)</a></nav>
${body}
</body></html>`;
}

/** Render a section's value, or its problem in place of it. */
export function section<T>(result: Section<T>, render: (value: T) => SafeHtml): SafeHtml {
  return result.ok ? render(result.value) : html`<p class="problem">${result.problem}</p>`;
}

/** A two-column table of labelled values. */
export function fields(rows: [string, unknown][]): SafeHtml {
  return html`<table>${rows.map(([label, value]) => html`<tr><th>${label}</th><td>${value ?? "-"}</td></tr>`)}</table>`;
}
