import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Behaviour, generateMp3, type RecordingServer } from "@anura/testing";

/** One recorded call the test drives through the system, with the exact bytes its host serves. */
export interface RecordedCall {
  cdrid: string;
  path: string;
  url: string;
  mp3: Buffer;
  sha256: string;
}

/** Calls with distinct recordings (a different tone each), so a mix-up between calls shows in the hashes. */
export function recordedCalls(recordings: RecordingServer, label: string, count: number): RecordedCall[] {
  return Array.from({ length: count }, (_, i) => {
    const cdrid = `${label}-${String(i).padStart(3, "0")}`;
    const mp3 = generateMp3(2.5, { hz: 300 + i * 11 });
    const path = `/rec/${cdrid}.mp3`;
    return { cdrid, path, url: `${recordings.baseUrl}${path}`, mp3, sha256: createHash("sha256").update(mp3).digest("hex") };
  });
}

/** Recorded calls whose host serves each MP3 trickled over `dripMs`, as a real one streams it. */
export function servedCalls(recordings: RecordingServer, label: string, count: number, dripMs: number): RecordedCall[] {
  const calls = recordedCalls(recordings, label, count);
  for (const call of calls) recordings.route(call.path, drip(call.mp3, dripMs));
  return calls;
}

/** Anura's START, TALK and END for a recorded call, in the shape its webhook sends. */
export function callEvents(call: RecordedCall): Array<Record<string, unknown>> {
  const base = {
    cdrid: call.cdrid,
    dialtime: "2026-03-02 10:00:00",
    calling: "+5491167950079",
    called: "+5491126888209",
    direction: "inbound",
    accounttags: "campaign_1",
    queueagentextension: "300",
  };
  return [
    { ...base, hooktrigger: "START" },
    { ...base, hooktrigger: "TALK", answerextension: "301" },
    { ...base, hooktrigger: "END", duration: 30, wasrecorded: true, audio_file_mp3: call.url },
  ];
}

/** How many downloads the host is serving right now, so a test can strike while some are in flight. */
export const inFlight = { downloads: 0 };

/** Serve `body` in `chunks` pieces spread over `ms`: a slow host, so downloads (and their uploads) stay open. */
export function drip(body: Buffer, ms: number, chunks = 10): Behaviour {
  return (_req, res) => {
    inFlight.downloads++;
    res.writeHead(200, { "content-type": "audio/mpeg", "content-length": body.length });
    const size = Math.ceil(body.length / chunks);
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight.downloads--;
    };
    res.once("close", finish);
    const step = () => {
      if (res.destroyed) return finish();
      res.write(body.subarray(sent, sent + size));
      sent += size;
      if (sent >= body.length) {
        res.end();
        return;
      }
      setTimeout(step, ms / chunks);
    };
    step();
  };
}

/** Send the headers and part of the body, then drop the connection: a host resetting mid-download. */
export function resetMidway(body: Buffer): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "audio/mpeg", "content-length": body.length });
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    setTimeout(() => res.socket?.destroy(), 50);
  };
}

export function failWith(status: number): Behaviour {
  return (_req, res: ServerResponse) => void res.writeHead(status, { "content-type": "text/plain" }).end("failing");
}

/** A seeded Fisher–Yates shuffle: a failing order can be replayed from the seed in the test name. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
