import { z } from "zod";

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const seconds = (fallback: number) => z.coerce.number().nonnegative().default(fallback);
export const optionalId = z.coerce.number().int().positive().optional();
export const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);
export const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .transform((value) => ["true", "1", "yes"].includes(value))
    .default(fallback);
export const secondsList = z
  .string()
  .transform((value) => value.split(",").map((item) => Number(item.trim())))
  .pipe(z.array(z.number({ error: "expected comma-separated seconds" }).nonnegative()).min(1));
