const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const DAY_FIRST = /^(\d{2})\/(\d{2})\/(\d{4})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parse Anura's dialtime; zone-less values are wall-clock time in `timeZone`. Returns null if unparseable. */
export function parseDialtime(value: string, timeZone: string): Date | null {
  const text = value.trim();
  if (WITH_ZONE.test(text)) return validDate(new Date(text));
  const local = LOCAL.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, s, frac] = local;
    return zonedToUtc([+y!, +mo!, +d!, +h!, +mi!, +(s ?? 0), Math.round(+`0.${frac ?? 0}` * 1000)], timeZone);
  }
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, d, mo, y, h, mi, s] = dayFirst;
    return zonedToUtc([+y!, +mo!, +d!, +h!, +mi!, +(s ?? 0), 0], timeZone);
  }
  return null;
}

type Parts = [year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number];

function zonedToUtc([y, mo, d, h, mi, s, ms]: Parts, timeZone: string): Date | null {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const probe = new Date(asUtc);
  // Reject impossible calendar values (2026-02-31) instead of letting Date roll them over.
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // Two passes settle the offset even across a DST change.
  let utc = asUtc - offsetMs(asUtc, timeZone);
  utc = asUtc - offsetMs(utc, timeZone);
  return new Date(utc);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** Offsets are whole quarter hours, so DST switches land on 15-minute UTC boundaries: one Intl lookup per zone and quarter. */
function offsetMs(instant: number, timeZone: string): number {
  const key = `${timeZone}@${Math.floor(instant / 900_000)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size > 10_000) offsets.clear();
    offset = computeOffsetMs(instant, timeZone);
    offsets.set(key, offset);
  }
  return offset;
}

function computeOffsetMs(instant: number, timeZone: string): number {
  const part = wallClock(instant, timeZone);
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The calendar and clock fields of `instant` in `timeZone`, with one formatter per zone. */
function wallClock(instant: number, timeZone: string): Record<string, number> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
}

/** `YYYY-MM-DD HH:MM` in `timeZone`: Anura's wall-clock time, as its API's startDate/endDate take it. */
export function localMinute(date: Date, timeZone: string): string {
  const part = wallClock(date.getTime(), timeZone);
  const two = (n: number | undefined) => String(n).padStart(2, "0");
  return `${part.year}-${two(part.month)}-${two(part.day)} ${two(part.hour)}:${two(part.minute)}`;
}

function validDate(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}
