/** Generators of hostile webhook requests, driven by a seeded PRNG so a failure can be replayed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  kind: string;
  body: Uint8Array | string;
  headers: Record<string, string>;
}

type MakeRequest = (random: () => number) => Omit<FuzzRequest, "kind">;
const json = { "content-type": "application/json" };
const pick = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)] as T;
const bytes = (random: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
const weirdValues = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  "9".repeat(400),
  [],
  {},
  [[[]]],
  { $gt: "" },
  "\u0000",
  "💥",
  "\u202e",
  "' OR 1=1 --",
  "<script>",
  "../../etc/passwd",
];

const generators: Record<string, MakeRequest> = {
  randomBytesAsJson: (r) => ({ body: bytes(r, 1 + Math.floor(r() * 2000)), headers: json }),
  randomBytesNoType: (r) => ({ body: bytes(r, 1 + Math.floor(r() * 2000)), headers: {} }),
  deepNesting: (r) => {
    const depth = 100 + Math.floor(r() * 20000);
    return {
      body: `{"hooktrigger":"END","cdrid":"1","x":${"[".repeat(depth)}${"]".repeat(depth)}}`.slice(0, 60_000),
      headers: json,
    };
  },
  unterminatedNesting: (r) => ({ body: `{"a":${'{"a":'.repeat(Math.floor(r() * 5000))}`, headers: json }),
  wrongTypes: (r) => ({
    body: JSON.stringify({
      hooktrigger: pick(r, weirdValues),
      cdrid: pick(r, weirdValues),
      duration: pick(r, weirdValues),
      wasrecorded: pick(r, weirdValues),
      dialtime: pick(r, weirdValues),
    }),
    headers: json,
  }),
  hugeNumbers: (r) => ({
    body: `{"hooktrigger":"END","cdrid":"1","duration":${"9".repeat(1 + Math.floor(r() * 5000))}e${Math.floor(r() * 999)}}`,
    headers: json,
  }),
  overLongFields: (r) => ({
    body: JSON.stringify({
      hooktrigger: "END",
      cdrid: "c".repeat(37 + Math.floor(r() * 5000)),
      accounttags: "t".repeat(Math.floor(r() * 5000)),
    }),
    headers: json,
  }),
  oversized: (r) => ({ body: "x".repeat(65_537 + Math.floor(r() * 200_000)), headers: json }),
  invalidUtf8: (r) => ({
    body: Uint8Array.from([0x7b, 0x22, 0x63, 0xff, 0xfe, 0xc3, 0x28, ...bytes(r, 20)]),
    headers: { "content-type": "application/json; charset=utf-8" },
  }),
  strangeCharset: () => ({ body: "\ufeff{}", headers: { "content-type": "application/json; charset=utf-16" } }),
  unicodeNoise: (r) => ({
    body: JSON.stringify({ hooktrigger: "\u{1F4A9}".repeat(1 + Math.floor(r() * 40)), cdrid: "\u0000\u202e" }),
    headers: json,
  }),
  multipartNoBoundary: () => ({
    body: '--x\r\nContent-Disposition: form-data; name="cdrid"\r\n\r\n1\r\n--x--',
    headers: { "content-type": "multipart/form-data" },
  }),
  multipartWrongBoundary: (r) => ({
    body: `--a\r\n${"garbage".repeat(Math.floor(r() * 50))}`,
    headers: { "content-type": "multipart/form-data; boundary=b" },
  }),
  brokenUrlEncoding: (r) => ({
    body: pick(r, ["%", "a=%ZZ&b", "=&=&=", "&&&", "cdrid=%E0%A4%A"]),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  }),
  listedContentTypes: (r) => ({
    body: "{}",
    headers: {
      "content-type": pick(r, [
        "application/json, text/plain",
        "text/html",
        "application/octet-stream",
        ";;;",
        "application/",
        "*/*",
      ]),
    },
  }),
  gzipClaim: (r) => ({ body: bytes(r, 100), headers: { ...json, "content-encoding": "gzip" } }),
  jsonNonObjects: (r) => ({ body: pick(r, ["null", "[]", "true", "1", '"END"', "[{}]", "{}"]), headers: json }),
  templateGone: (r) => ({
    body: `{"hooktrigger": {{ hooktrigger }}, "cdrid": ${pick(r, ["", ",", "}", "{{cdrid}}"])}}`,
    headers: json,
  }),
};

/** Requests made one at a time, so a sent body becomes garbage and memory measures the server, not the test. */
export function* generateRequests(count: number, seed: number): Generator<FuzzRequest> {
  const random = seededRandom(seed);
  const kinds = Object.keys(generators);
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length] as string;
    yield { kind, ...(generators[kind] as MakeRequest)(random) };
  }
}
