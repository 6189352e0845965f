import { describe, expect, it } from "vitest";
import { renderChartFigure } from "../src/charts/chart-figure.ts";
import { countsByKey, last24Hours } from "../src/charts/hours.ts";

const NOW = Date.parse("2026-11-30T14:25:00Z");
const HOUR = 3_600_000;

describe("hourly charts", () => {
  it("cover the 24 hours up to the current one, in UTC", () => {
    const hours = last24Hours(NOW);
    expect(hours).toHaveLength(24);
    expect(new Date(hours[23] ?? 0).toISOString()).toBe("2026-11-30T14:00:00.000Z");
    expect(new Date(hours[0] ?? 0).toISOString()).toBe("2026-11-29T15:00:00.000Z");
  });

  it("draw a bar per hour and series with a tooltip, and list the same numbers newest first", () => {
    const hours = last24Hours(NOW);
    const current = hours[23] ?? 0;
    const series = countsByKey(
      hours,
      [
        { hour: current, key: "END", count: 7 },
        { hour: current - HOUR, key: "START", count: 2 },
        { hour: current - 48 * HOUR, key: "END", count: 99 }, // outside the window: ignored
      ],
      ["START", "END"],
    );
    const page = renderChartFigure({
      title: "Webhook events by trigger",
      kind: "stacked-bars",
      hours,
      series,
      colors: ["#111111", "#222222"],
      format: (value) => String(value),
    }).value;
    expect(page.match(/<rect /g)).toHaveLength(2);
    expect(page).toContain("<title>14:00 END: 7</title>");
    expect(page).toContain("<title>13:00 START: 2</title>");
    const firstRow = page.slice(page.indexOf("<tbody>"), page.indexOf("</tr>", page.indexOf("<tbody>")));
    expect(firstRow).toMatch(/14:00<\/td><td class="n">0<\/td><td class="n">7<\/td><td class="n">7<\/td>/);
    expect(page).not.toContain(">99<");
  });

  it("leave a gap, not a zero, where a sample is missing", () => {
    const hours = last24Hours(NOW);
    const [waiting] = countsByKey(hours, [{ hour: hours[23] ?? 0, key: "call.event", count: 5 }], ["call.event"], null);
    expect(waiting?.values.slice(-2)).toEqual([null, 5]);
    const page = renderChartFigure({
      title: "Waiting jobs per queue",
      kind: "lines",
      hours,
      series: waiting ? [waiting] : [],
      colors: ["#111111"],
      format: String,
    }).value;
    expect(page.match(/<circle /g)).toHaveLength(1);
    expect(page).toContain('<td class="n none">–</td>');
  });
});
