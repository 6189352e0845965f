// Preloaded by the package.json scripts: reads .env once when there is one, and says nothing when
// there is none (Node's --env-file-if-exists prints a notice on every start). Set variables win.
import { existsSync } from "node:fs";

if (existsSync(".env")) process.loadEnvFile(".env");
