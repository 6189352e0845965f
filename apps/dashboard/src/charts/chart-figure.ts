import { html, type SafeHtml } from "../http/html.ts";
import { type ChartDrawing, drawChart } from "./draw-svg.ts";
import { hourLabel } from "./hours.ts";

// Distinguishable for the common colour-vision deficiencies (Okabe–Ito order).
const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];

/** A colour per series: the fixed ones first (e.g. failures in red), the palette for the rest. */
export function colorsFor(names: string[], fixed: Record<string, string> = {}): string[] {
  let next = 0;
  return names.map((name) => fixed[name] ?? PALETTE[next++ % PALETTE.length] ?? "#59636e");
}

/** A chart with its legend, and beside it the same numbers as a table (newest hour first). */
export function renderChartFigure(chart: ChartDrawing & { caption?: string }): SafeHtml {
  const stacked = chart.kind === "stacked-bars";
  const rows = chart.hours.map((hour, slot) => ({ hour, slot })).reverse();
  const cell = (value: number | null | undefined) =>
    value === null || value === undefined ? html`<td class="n none">–</td>` : html`<td class="n">${chart.format(value)}</td>`;
  return html`<figure class="chart-figure">
<div class="chart-box">
<figcaption><strong>${chart.title}</strong>${chart.caption ? html` <span class="hint">${chart.caption}</span>` : ""}</figcaption>
<div class="legend">${chart.series.map(
    (series, index) => html`<span><i style="background:${chart.colors[index]}"></i>${series.name}</span>`,
  )}</div>
${drawChart(chart)}
</div>
<div class="chart-table"><table>
<thead><tr><th>Hour (UTC)</th>${chart.series.map((series) => html`<th class="n">${series.name}</th>`)}${stacked ? html`<th class="n">total</th>` : ""}</tr></thead>
<tbody>${rows.map(
    ({ hour, slot }) =>
      html`<tr><td>${hourLabel(hour)}</td>${chart.series.map((series) => cell(series.values[slot]))}${
        stacked ? cell(chart.series.reduce((sum, series) => sum + (series.values[slot] ?? 0), 0)) : ""
      }</tr>`,
  )}</tbody>
</table></div>
</figure>`;
}
