import { afterAll, beforeAll, expect, it } from "vitest";
import { type FetchStack, generateMp3, sha256, startFetchStack } from "./support.ts";

let t: FetchStack;
// 100 copies of 10 s at 16 kbps: about 2 MB of frames, many times the chunks it is read in.
const audio = Buffer.concat(Array.from({ length: 100 }, () => generateMp3(10)));
// An ID3v1 tag is the last 128 bytes: music-metadata reads to the end to find it, and leaves it out of the duration.
const id3v1 = Buffer.concat([Buffer.from("TAG"), Buffer.alloc(30, "t"), Buffer.alloc(94), Buffer.from([255])]);

beforeAll(async () => {
  t = await startFetchStack();
});
afterAll(() => t?.close());

async function storedDuration(cdrid: string, body: Buffer): Promise<number> {
  await t.postEnd(cdrid, t.stack.recordings.serve(`/${cdrid}.mp3`, body));
  await t.settledFetch(cdrid, "completed");
  const row = await t.callRow(cdrid);
  expect(row?.recording_sha256).toBe(sha256(body));
  expect(sha256(await t.storedBytes(row?.recording_key))).toBe(sha256(body));
  return row?.recording_duration as number;
}

it("stores a recording of many chunks with the duration of its audio, an ID3v1 tag at its end left out", async () => {
  const plain = await storedDuration("duration-plain", audio);
  expect(plain).toBeCloseTo(audio.length / 2000, 0); // 16 kbps is 2,000 bytes a second
  // 128 bytes are 0.064 s at 16 kbps: the tagged copy lasts the same only if its end was read.
  expect(await storedDuration("duration-tagged", Buffer.concat([audio, id3v1]))).toBeCloseTo(plain, 3);
});

it("stores a recording whole, without a duration, when music-metadata gives up on it early", async () => {
  // A WAV whose first chunk claims more bytes than the file has: the reader stops there, the copy goes on.
  const header = Buffer.alloc(20);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(0xfffffff0, 4);
  header.write("WAVEjunk", 8, "latin1");
  header.writeUInt32LE(0xffffff00, 16);
  const body = Buffer.concat([header, Buffer.alloc(2 * 1024 * 1024, 7)]);
  await t.postEnd("duration-unreadable", t.stack.recordings.serve("/duration-unreadable.wav", body, "audio/wav"));
  await t.settledFetch("duration-unreadable", "completed");
  const row = await t.callRow("duration-unreadable");
  expect(row?.recording_key).toBe("anura/anura_duration-unreadable.wav");
  expect(sha256(await t.storedBytes(row?.recording_key))).toBe(sha256(body));
  expect(row?.recording_duration).toBeNull();
});
