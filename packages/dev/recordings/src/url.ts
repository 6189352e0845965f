/** Where the sample-recording server serves a call's MP3 of the given length. */
export function sampleRecordingUrl(baseUrl: string, cdrid: string, seconds: number): string {
  const url = new URL(`/recordings/${encodeURIComponent(cdrid)}.mp3`, baseUrl);
  url.searchParams.set("seconds", String(seconds));
  return url.toString();
}

/** The longest sample it will encode: enough for a realistic call, small enough to stay instant. */
export const MAX_SAMPLE_SECONDS = 600;
