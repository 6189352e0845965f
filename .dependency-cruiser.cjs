// Arrows point down: apps use packages, packages never reach up into apps, and nothing cycles.
// `pnpm check` runs it (depcruise); TypeScript is parsed with typescript@6 (see pnpm-workspace.yaml).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "package-imports-app",
      comment: "A package must not import an app: move the shared code into a package, or compose apps under e2e/.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "app-imports-other-app",
      comment: "An app must not import another app: share through a package; tests that need several apps live in e2e/.",
      severity: "error",
      from: { path: "^apps/([^/]+)/" },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "package-cycle",
      comment: "Packages must not depend on each other in a cycle: one of them has to move its shared part down.",
      severity: "error",
      scope: "folder",
      from: { path: "^packages/" },
      to: { path: "^packages/", circular: true },
    },
    {
      name: "drizzle-through-its-shim",
      comment:
        "Import drizzle-orm through packages/db/src/drizzle.ts: its ES build costs every process 0.4 s and ~150 MB at start, and two builds would mean two copies of its classes.",
      severity: "error",
      from: { pathNot: "^packages/db/src/drizzle\\.ts$" },
      to: { path: "node_modules/drizzle-orm/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "module-cycle",
      comment: "Modules must not import each other in a cycle.",
      severity: "error",
      from: { path: "^(apps|packages|e2e)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "/migrations/|(^|/)dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
