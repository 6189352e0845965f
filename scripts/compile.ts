// `pnpm build`: every app's and package's src/ as plain JavaScript in dist/ beside it, with the type
// stripper Node itself runs on .ts files, so the compiled code is what the sources run as. App processes
// run dist/ (scripts/app-process.ts): Node's stripper held about 30 MB in each (README, Performance).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { dirname, join } from "node:path";

// Every workspace package: the apps, the packages, and the development stand-ins in packages/dev.
const ROOTS = ["apps", "packages", "packages/dev"]
  .flatMap((dir) => readdirSync(dir).map((name) => `${dir}/${name}`))
  .filter((root) => existsSync(`${root}/package.json`));
// Relative imports name their .ts file; the compiled one beside it is .js.
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g;

const filesIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];

let written = 0;
let total = 0;
for (const root of ROOTS) {
  const [src, dist] = [join(root, "src"), join(root, "dist")];
  const targets = new Set<string>();
  for (const source of filesIn(src)) {
    if (!source.endsWith(".ts") || source.endsWith(".test.ts") || source.endsWith(".d.ts")) continue;
    const target = join(dist, source.slice(src.length + 1)).replace(/\.ts$/, ".js");
    targets.add(target);
    const code = stripTypeScriptTypes(readFileSync(source, "utf8"), { mode: "strip" }).replace(TS_SPECIFIER, "$1$2.js$3");
    if (existsSync(target) && readFileSync(target, "utf8") === code) continue;
    // Written aside, then renamed over: an app starting meanwhile reads the old file or the new, never half of one.
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.${process.pid}.tmp`, code);
    renameSync(`${target}.${process.pid}.tmp`, target);
    written++;
  }
  total += targets.size;
  for (const file of filesIn(dist)) if (file.endsWith(".js") && !targets.has(file)) rmSync(file); // its source is gone
}
console.log(`compiled ${total} files (${written} changed) into the dist/ folders of ${ROOTS.length} apps and packages`);
