// The node flags every app process starts with: scripts/start-all.ts and the bench pass them; the
// Dockerfile (NODE_OPTIONS) and the start:<app> scripts in package.json repeat them (keep all in step);
// e2e/support/process-stack.ts starts the fault scenarios' apps with them.
//
// V8 sizes the young generation from the machine's memory (a 64 MB new space on 24 GB) and keeps
// it once grown: that was half of an idle app's RSS. 2 MB semi-spaces hold an app to ~150 MB and
// leave the worker's drain rate as it was (README, Performance: measures 8 and 11).
export const APP_NODE_FLAGS = ["--max-semi-space-size=2"];
