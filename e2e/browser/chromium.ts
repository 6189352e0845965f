import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { testEnv } from "@anura/testing";
import { type Browser, chromium } from "playwright-core";

export const SCREENSHOTS = join(process.cwd(), "test-output", "screenshots");

/** Debian's Chromium, headless, with nothing reaching the network on its own (toolchain.md). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: testEnv.CHROMIUM_PATH,
    // launch() already gives each run a fresh, throw-away profile.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const screenshotPath = (name: string) => join(SCREENSHOTS, name);
