import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const IDLE = new Set(["(idle)", "(program)"]);

/** Where a frame's code lives: a package name, node's internals, or the project file. */
function origin(url: string): string {
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith("node:") || url === "") return "node";
  return url.replace(/^file:\/\/.*?\/(apps|packages)\//, "$1/");
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${url ? `${origin(url)}:${lineNumber + 1}` : ""}`.trim();
};

/**
 * The busy time of a .cpuprofile (idle and start-up module loading left out) as printable lines:
 * top functions by self time, self time by package, and the project's own functions by total time.
 */
export function summariseProfile(file: string, top = 15): string[] {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id: number) => {
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at) as ProfileNode);
    return stack;
  };
  const self = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  let loading = 0;
  for (const id of profile.samples) {
    const stack = stackOf(id);
    const leaf = stack[0] as ProfileNode;
    if (IDLE.has(leaf.callFrame.functionName)) continue;
    if (stack.some((node) => node.callFrame.url.startsWith("node:internal/modules/"))) {
      loading++;
      continue;
    }
    busy++;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
    const from = leaf.callFrame.functionName === "(garbage collector)" ? "(gc)" : origin(leaf.callFrame.url);
    byOrigin.set(from, (byOrigin.get(from) ?? 0) + 1);
    for (const name of new Set(stack.filter((node) => /\/(apps|packages)\//.test(node.callFrame.url)).map(label))) {
      total.set(name, (total.get(name) ?? 0) + 1);
    }
  }
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
  const share = (hits: number) => `${((100 * hits) / Math.max(1, busy)).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${file}: ${Math.round(busy * msPerSample)} ms busy (plus ${Math.round(loading * msPerSample)} ms loading modules)`,
    "  top self time by function:",
    ...sorted(self).map(([key, hits]) => `    ${share(hits)}  ${key}`),
    "  self time by package/file:",
    ...sorted(byOrigin).map(([key, hits]) => `    ${share(hits)}  ${key}`),
    "  project functions by total time (self + callees):",
    ...sorted(total).map(([key, hits]) => `    ${share(hits)}  ${key}`),
  ];
}
