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
  .charts { display: grid; gap: 1.25rem; }
  .chart-figure { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: .75rem; border: 1px solid #d0d7de; border-radius: 6px; }
  .chart-box { flex: 0 0 560px; } .chart { display: block; max-width: 100%; height: auto; }
  .chart .grid { stroke: #eaeef2; } .chart .tick { font-size: 11px; fill: #59636e; } .chart .empty { font-size: 13px; fill: #8c959f; }
  .legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: 12px; margin: .25rem 0; }
  .legend i { display: inline-block; width: .75rem; height: .75rem; margin-right: .3rem; border-radius: 2px; vertical-align: -1px; }
  .chart-table { flex: 1 1 14rem; max-height: 250px; overflow-y: auto; font-size: 12px; }
  .chart-table table { margin: 0; width: 100%; } .chart-table th { position: sticky; top: 0; background: #fff; }
  .chart-table td, .chart-table th { padding: .1rem .5rem; } .chart-table th.n { text-align: right; } td.none { color: #8c959f; }
  .timeline { list-style: none; padding: 0; margin: 1rem 0; border-left: 2px solid #d0d7de; }
  .timeline li { display: grid; grid-template-columns: 1.6rem 11.5rem 1fr; gap: .5rem; padding: .45rem 0; margin-left: -.85rem; }
  .timeline .mark { width: 1.5rem; height: 1.5rem; border-radius: 50%; text-align: center; line-height: 1.5rem; color: #fff; font-weight: 700; background: #8c959f; }
  .timeline .done .mark { background: #1a7f37; } .timeline .waiting .mark { background: #9a6700; } .timeline .problem .mark { background: #b42318; }
  .timeline .when { color: #59636e; font-variant-numeric: tabular-nums; padding-top: .1rem; } .timeline .problem strong { color: #b42318; }
  .timeline .detail { color: #424a53; } .timeline form { margin: .35rem 0 0; }
  .retry button { font: inherit; padding: .3rem .8rem; border: 1px solid #1f6feb; border-radius: 6px; background: #1f6feb; color: #fff; cursor: pointer; }
  .notice { background: #dafbe1; border: 1px solid #4ac26b; padding: .5rem .75rem; border-radius: 6px; }
  details { margin-top: 1.5rem; } summary { cursor: pointer; color: #59636e; }
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
