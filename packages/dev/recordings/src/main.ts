// The sample-recording server on its own, for the compose demo profile (`pnpm start` runs it in-process).
import { devEnv, parseEnv } from "@anura/config";
import { startSampleRecordingServer } from "./sample-server.ts";

const env = parseEnv(devEnv);
const server = await startSampleRecordingServer({ port: env.DEV_RECORDINGS_PORT, host: env.DEV_RECORDINGS_HOST });
console.log(`sample recordings at ${server.baseUrl}/recordings/<name>.mp3 (development only)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.close().then(() => process.exit(0)));
