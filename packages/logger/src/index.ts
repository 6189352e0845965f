import { type Logger, pino, stdSerializers } from "pino";
import { prettyStream } from "./pretty.ts";
import { REDACT_PATHS, redactText } from "./redact.ts";

export type { Logger } from "pino";
export { redactText, safeUrl } from "./redact.ts";

/** auto: readable when writing to a terminal, JSON lines otherwise (files, pipes, collectors). */
export type LogFormat = "auto" | "pretty" | "json";

export interface LoggerOptions {
  name: string;
  level?: string;
  format?: LogFormat;
  destination?: NodeJS.WritableStream;
}

export function createLogger({ name, level = "info", format = "auto", destination }: LoggerOptions): Logger {
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
  const output = destination ?? process.stdout;
  if (isPretty(format, output)) return pino(options, prettyStream(output));
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

function isPretty(format: LogFormat, output: NodeJS.WritableStream): boolean {
  if (format !== "auto") return format === "pretty";
  return (output as { isTTY?: boolean }).isTTY === true;
}
