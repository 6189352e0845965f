import { createRequire } from "node:module";
import type PinoPrettyModule from "pino-pretty";

// Required only when a pretty log is asked for: JSON logs (production, the bench) never load pino-pretty.
const require = createRequire(import.meta.url);

/** One readable line per entry for a developer's terminal: time, level, app, message, then fields. */
export function prettyStream(output: NodeJS.WritableStream) {
  const PinoPretty = require("pino-pretty") as typeof PinoPrettyModule;
  return PinoPretty({
    // fd 1 is written synchronously, so the last lines before an exit are not lost.
    destination: output === process.stdout ? 1 : output,
    colorize: (output as { isTTY?: boolean }).isTTY === true,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname",
    singleLine: true,
    sync: true,
  });
}
