import { compileApps } from "../../scripts/app-process.ts";

/** Vitest global setup: the app processes tests start run the compiled sources, compiled fresh for this run. */
export default function setup(): void {
  compileApps();
}
