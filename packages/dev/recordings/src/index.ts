export { generateMp3 } from "./mp3.ts";
export { type SampleRecordingServer, startSampleRecordingServer } from "./sample-server.ts";
export { MAX_SAMPLE_SECONDS, sampleRecordingUrl } from "./url.ts";
