import { describe, expect, it } from "vitest";
import { sniffAudio } from "../src/recording/audio-format.ts";
import { generateMp3 } from "./support.ts";

const bytes = (...values: number[]) => Buffer.from(values);

describe("only audio is accepted as a recording", () => {
  it("recognises MP3 by its ID3 tag or by an MPEG frame sync", () => {
    expect(sniffAudio(Buffer.from("ID3\x04\x00\x00\x00\x00\x00\x00", "latin1"))?.extension).toBe("mp3");
    expect(sniffAudio(generateMp3(1).subarray(0, 12))).toEqual({ extension: "mp3", contentType: "audio/mpeg" });
    expect(sniffAudio(bytes(0xff, 0xfb, 0x90, 0x64))?.extension).toBe("mp3"); // MPEG-1 layer III
  });

  it("recognises WAV and OGG", () => {
    expect(sniffAudio(Buffer.from("RIFF\x24\x08\x00\x00WAVEfmt ", "latin1"))).toEqual({
      extension: "wav",
      contentType: "audio/wav",
    });
    expect(sniffAudio(Buffer.from("OggS\x00\x02\x00\x00", "latin1"))).toEqual({ extension: "ogg", contentType: "audio/ogg" });
  });

  it.each([
    ["an HTML page", Buffer.from("<!DOCTYPE html><html>")],
    ["a JSON error", Buffer.from('{"error":"not found"}')],
    ["a RIFF file that is not WAVE", Buffer.from("RIFF\x24\x08\x00\x00AVI LIST", "latin1")],
    ["a frame sync with the reserved layer", bytes(0xff, 0xf9, 0x90, 0x64)],
    ["a frame sync with the reserved MPEG version", bytes(0xff, 0xeb, 0x90, 0x64)],
    ["a PNG", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
    ["nothing", Buffer.alloc(0)],
  ])("rejects %s", (_label, head) => {
    expect(sniffAudio(head)).toBeNull();
  });
});
