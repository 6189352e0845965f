import { runCli } from "./run-cli.ts";

// Every command closes its connections, so the process ends on its own with this code.
process.exitCode = await runCli(process.argv.slice(2));
