import { EnvError } from "@anura/config";

/** A mistake in how the CLI was called: answered with the usage text and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure the user can act on: printed as one line, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** One line saying what went wrong and, where we know it, how to fix it. */
export function describeError(error: unknown): string {
  if (error instanceof EnvError) return `invalid configuration: ${error.problems.join("; ")}`;
  if (typeof error !== "object" || error === null) return String(error);
  // Drizzle wraps the driver's error (and its message lists the query parameters): describe the cause.
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof (cause as { code?: unknown }).code === "string") return describeError(cause);
  const { code, message, constraint_name: constraint } = error as { code?: string; message?: string; constraint_name?: string };
  if (code?.startsWith("ERR_PARSE_ARGS")) return `${message} (see \`pnpm cli help\`)`;
  if (code === "ECONNREFUSED") return `${message}: is Postgres running? (check DATABASE_URL)`;
  if (code === "3D000" || code === "42P01") return `${message}: run \`pnpm db:migrate\` first`;
  if (code === "23505") return `already exists (${constraint ?? "unique constraint"}): pick another name or id`;
  return String(message ?? error).replace(/\s*\n\s*/g, " ");
}
