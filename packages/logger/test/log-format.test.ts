import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, type LogFormat } from "../src/index.ts";

/** A stream that says it is (or is not) a terminal, collecting what the logger writes. */
function output(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join("") };
}

async function logOnce(format: LogFormat, isTTY: boolean) {
  const out = output(isTTY);
  const log = createLogger({ name: "ingester", format, destination: out.stream });
  log.info({ port: 8001 }, "ingester listening");
  log.flush();
  await new Promise((resolve) => setImmediate(resolve));
  return out.text();
}

describe("log format", () => {
  it("writes readable lines to a terminal when left on auto", async () => {
    const text = await logOnce("auto", true);
    expect(text).toMatch(/INFO.*\(ingester\).*ingester listening/);
    expect(text).not.toContain('"msg"');
  });

  it("writes JSON lines when the output is not a terminal", async () => {
    const line = JSON.parse((await logOnce("auto", false)).trim());
    expect(line).toMatchObject({ name: "ingester", msg: "ingester listening", port: 8001 });
  });

  it("writes JSON to a terminal when LOG_FORMAT=json, for collectors reading a TTY", async () => {
    expect(JSON.parse((await logOnce("json", true)).trim())).toMatchObject({ msg: "ingester listening" });
  });

  it("still redacts phone numbers in readable output", async () => {
    const out = output(true);
    const log = createLogger({ name: "worker", format: "pretty", destination: out.stream });
    log.info({ calling: "+5491167950079" }, "call from +5491167950079");
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const text = out.text();
    expect(text).toMatch(/INFO.*\(worker\).*call from \[redacted-number\]/); // the line was written, readable
    expect(text).toMatch(/calling.*\[redacted\]/);
    expect(text).not.toContain("5491167950079");
  });
});
