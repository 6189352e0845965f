export interface AudioFormat {
  extension: "mp3" | "wav" | "ogg";
  contentType: string;
}

/** Recognise audio by its first bytes, so an HTML error page served with 200 is never stored. */
export function sniffAudio(head: Buffer): AudioFormat | null {
  if (head.subarray(0, 3).toString("latin1") === "ID3") return { extension: "mp3", contentType: "audio/mpeg" };
  // MPEG audio frame sync: 11 set bits, a valid layer and not the reserved version.
  if (head.length >= 2 && head[0] === 0xff && ((head[1] as number) & 0xe0) === 0xe0 && ((head[1] as number) & 0x06) !== 0) {
    return { extension: "mp3", contentType: "audio/mpeg" };
  }
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WAVE") {
    return { extension: "wav", contentType: "audio/wav" };
  }
  if (head.subarray(0, 4).toString("latin1") === "OggS") return { extension: "ogg", contentType: "audio/ogg" };
  return null;
}
