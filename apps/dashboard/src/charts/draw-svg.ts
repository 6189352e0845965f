import { scaleBand, scaleLinear } from "d3-scale";
import { line, stack } from "d3-shape";
import { html, type SafeHtml } from "../http/html.ts";
import { type HourlySeries, hourLabel } from "./hours.ts";

export interface ChartDrawing {
  title: string;
  kind: "stacked-bars" | "lines";
  hours: number[];
  series: HourlySeries[];
  colors: string[];
  /** Short form of a value for the y axis and tooltips ("1.2 s", "40"). */
  format: (value: number) => string;
}

const WIDTH = 560;
const HEIGHT = 200;
const MARGIN = { top: 10, right: 10, bottom: 24, left: 52 };
const PLOT_BOTTOM = HEIGHT - MARGIN.bottom;
// A tenth of a pixel is plenty: keeps the page small and readable.
const px = (value: number | undefined) => Math.round((value ?? 0) * 10) / 10;

/** The chart as inline SVG (no script): d3-scale places ticks and bands, d3-shape stacks and draws lines. */
export function drawChart(chart: ChartDrawing): SafeHtml {
  const totals = chart.hours.map((_, hour) =>
    chart.kind === "stacked-bars"
      ? chart.series.reduce((sum, s) => sum + (s.values[hour] ?? 0), 0)
      : Math.max(0, ...chart.series.map((s) => s.values[hour] ?? 0)),
  );
  const peak = Math.max(0, ...totals);
  const x = scaleBand<number>()
    .domain(chart.hours)
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .paddingInner(0.2);
  const y = scaleLinear()
    .domain([0, peak || 1])
    .nice(4)
    .range([PLOT_BOTTOM, MARGIN.top]);
  const marks = chart.kind === "stacked-bars" ? bars(chart, x, y) : lines(chart, x, y);
  const measured = chart.series.some((series) => series.values.some((value) => value !== null));
  const empty = chart.kind === "stacked-bars" ? peak === 0 : !measured;
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${chart.title}" class="chart">
<title>${chart.title}</title>
${yAxis(chart, y)}${xAxis(chart.hours, x)}${marks}
${empty ? html`<text x="${(WIDTH + MARGIN.left) / 2}" y="${HEIGHT / 2}" text-anchor="middle" class="empty">nothing in the last 24 hours</text>` : ""}
</svg>`;
}

type Band = ReturnType<typeof scaleBand<number>>;
type Linear = ReturnType<typeof scaleLinear<number, number>>;

function bars(chart: ChartDrawing, x: Band, y: Linear): SafeHtml[] {
  const rows = chart.hours.map((_, hour) => chart.series.map((s) => s.values[hour] ?? 0));
  const layers = stack<number[], number>()
    .keys(chart.series.map((_, index) => index))
    .value((row, index) => row[index] ?? 0)(rows);
  return layers.flatMap((layer, index) =>
    layer.map(([low, high], hour) => {
      if (high - low <= 0) return html``;
      const start = chart.hours[hour] ?? 0;
      const tooltip = `${hourLabel(start)} ${chart.series[index]?.name}: ${chart.format(high - low)}`;
      return html`<rect x="${px(x(start))}" y="${px(y(high))}" width="${px(x.bandwidth())}" height="${px(Math.max(1, y(low) - y(high)))}" fill="${chart.colors[index]}"><title>${tooltip}</title></rect>`;
    }),
  );
}

function lines(chart: ChartDrawing, x: Band, y: Linear): SafeHtml[] {
  const centre = (hour: number) => px((x(hour) ?? 0) + x.bandwidth() / 2);
  return chart.series.map((series, index) => {
    const points = chart.hours.map((hour, slot) => [hour, series.values[slot] ?? null] as const);
    const path = line<(typeof points)[number]>()
      .defined(([, value]) => value !== null)
      .x(([hour]) => centre(hour))
      .y(([, value]) => px(y(value ?? 0)))(points);
    const dots = points
      .filter(([, value]) => value !== null)
      .map(
        ([hour, value]) =>
          html`<circle cx="${centre(hour)}" cy="${px(y(value ?? 0))}" r="3" fill="${chart.colors[index]}"><title>${hourLabel(hour)} ${series.name}: ${chart.format(value ?? 0)}</title></circle>`,
      );
    return html`<path d="${path ?? ""}" fill="none" stroke="${chart.colors[index]}" stroke-width="2"/>${dots}`;
  });
}

function yAxis(chart: ChartDrawing, y: Linear): SafeHtml[] {
  // Rounded labels can repeat (0, 0, 1, 1 on a 0–1 count axis): keep the first of each.
  const seen = new Set<string>();
  const ticks = y.ticks(4).filter((tick) => !seen.has(chart.format(tick)) && seen.add(chart.format(tick)));
  return ticks.map(
    (tick) => html`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" class="grid"/>
<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end" class="tick">${chart.format(tick)}</text>`,
  );
}

function xAxis(hours: number[], x: Band): SafeHtml[] {
  // Every third hour is labelled; 24 labels would overlap.
  return hours
    .filter((_, index) => (hours.length - 1 - index) % 3 === 0)
    .map(
      (hour) =>
        html`<text x="${px((x(hour) ?? 0) + x.bandwidth() / 2)}" y="${HEIGHT - 6}" text-anchor="middle" class="tick">${hourLabel(hour)}</text>`,
    );
}
