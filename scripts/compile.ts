// `pnpm build`: every app's and package's src/ as plain JavaScript in dist/ beside it, with the type
// stripper Node itself runs on .ts files, so the compiled code is what the sources run as. App processes
// run dist/ (scripts/app-process.ts): Node's stripper held about 30 MB in each (README, Performance).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { dirname, join } from "node:path";

const ROOTS = [
  ...readdirSync("apps").map((name) => `apps/${name}`),
  ...readdirSync("packages").map((name) => `packages/${name}`),
];
// Relative imports name their .ts file; the compiled one beside it is .js.
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g;

let files = 0;
for (const root of ROOTS) {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  for (const entry of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(root, "dist", source.slice(join(root, "src").length + 1)).replace(/\.ts$/, ".js");
    const code = stripTypeScriptTypes(readFileSync(source, "utf8"), { mode: "strip" }).replace(TS_SPECIFIER, "$1$2.js$3");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
    files++;
  }
}
console.log(`compiled ${files} files into ${ROOTS.length} dist/ folders`);
