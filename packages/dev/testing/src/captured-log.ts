import { PassThrough } from "node:stream";
import { createLogger } from "@anura/logger";

/** A JSON logger whose lines a test reads back as objects, in the order they were written. */
export function capturedLog(name = "test") {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  stream.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { log: createLogger({ name, format: "json", destination: stream }), lines };
}
