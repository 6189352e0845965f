import { z } from "zod";

/** Empty or whitespace-only values mean "not provided". */
function blankToNull(value: unknown): unknown {
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" || trimmed.toLowerCase() === "null" ? null : trimmed;
  }
  return value ?? null;
}

export const text = (max = 2000) =>
  z.preprocess((v) => {
    const value = blankToNull(v);
    return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  }, z.string().max(max, `longer than ${max} characters`).nullable());

export const number = z.preprocess((v) => {
  const value = blankToNull(v);
  if (typeof value === "string" && /^[+-]?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}, z.number({ error: 'expected a number such as 120 or "120.0"' }).finite().nullable());

const TRUE = new Set(["true", "1", "si", "sí", "yes", "y"]);
const FALSE = new Set(["false", "0", "no", "n"]);

export const boolean = z.preprocess((v) => {
  const value = blankToNull(v);
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : value;
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
  }
  return value;
}, z.boolean({ error: "expected true/false, 1/0, si/no or yes/no" }).nullable());
