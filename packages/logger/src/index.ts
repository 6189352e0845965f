import { type Logger, pino, stdSerializers } from "pino";
import { REDACT_PATHS, redactText } from "./redact.ts";

export type { Logger } from "pino";
export { redactText, safeUrl } from "./redact.ts";

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Human-readable output for a developer's terminal; JSON otherwise. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger({ name, level = "info", pretty = false, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: {
      err: (err: Error) => {
        const serialized = stdSerializers.err(err);
        return { ...serialized, message: redactText(serialized.message), stack: redactText(serialized.stack ?? "") };
      },
    },
    hooks: {
      // Messages are free text: scrub them the same way as error messages.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === "string" ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  if (pretty) return pino({ ...options, transport: { target: "pino-pretty", options: { colorize: true } } });
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
