import { Mp3Encoder } from "@breezystack/lamejs";

/** A real MP3 (mono, telephony bitrate) of a tone, so music-metadata has frames to measure. */
export function generateMp3(seconds: number, options: { kbps?: number; sampleRate?: number; hz?: number } = {}): Buffer {
  const sampleRate = options.sampleRate ?? 8000;
  const encoder = new Mp3Encoder(1, sampleRate, options.kbps ?? 16);
  const total = Math.round(seconds * sampleRate);
  const samples = new Int16Array(total);
  const hz = options.hz ?? 440;
  for (let i = 0; i < total; i++) samples[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / sampleRate) * 8000);
  const parts: Buffer[] = [];
  const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < total; offset += 1152)
    parts.push(asBuffer(encoder.encodeBuffer(samples.subarray(offset, offset + 1152))));
  parts.push(asBuffer(encoder.flush()));
  return Buffer.concat(parts);
}
