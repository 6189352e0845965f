export interface AudioFormat {
  extension: "mp3" | "wav" | "ogg";
  contentType: string;
}

/** Recognise audio by its first bytes, so an HTML error page served with 200 is never stored. */
export function sniffAudio(head: Buffer): AudioFormat | null {
  if (head.subarray(0, 3).toString("latin1") === "ID3") return { extension: "mp3", contentType: "audio/mpeg" };
  // MPEG audio frame sync: 11 set bits, a valid layer and not the reserved version.
  const second = head[1] ?? 0;
  if (head[0] === 0xff && (second & 0xe0) === 0xe0 && (second & 0x18) !== 0x08 && (second & 0x06) !== 0) {
    return { extension: "mp3", contentType: "audio/mpeg" };
  }
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WAVE") {
    return { extension: "wav", contentType: "audio/wav" };
  }
  if (head.subarray(0, 4).toString("latin1") === "OggS") return { extension: "ogg", contentType: "audio/ogg" };
  return null;
}
