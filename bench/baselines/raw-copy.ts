// Baseline helper child: copy recordings host → S3 as bare streams (got → minio putObject), no queue, no database.
import got from "got";
import { Client } from "minio";
import { exitWithParent } from "../lib/ipc.ts";

const endpoint = new URL(process.env.S3_ENDPOINT as string);
const bucket = process.env.S3_BUCKET as string;
const concurrency = Number(process.argv[2]); // copies in flight
const client = new Client({
  endPoint: endpoint.hostname,
  port: Number(endpoint.port),
  useSSL: false,
  accessKey: process.env.S3_ACCESS_KEY as string,
  secretKey: process.env.S3_SECRET_KEY as string,
  region: "us-east-1",
  pathStyle: true,
  partSize: 5 * 1024 * 1024, // as the app's recording store
});

async function copy(url: string, key: string): Promise<void> {
  const source = got.stream(url, { retry: { limit: 0 } });
  await client.putObject(bucket, key, source, undefined, { "Content-Type": "audio/mpeg" });
}

/** Copy every URL with at most `concurrency` copies in flight; resolves with the elapsed ms. */
async function copyAll(urls: string[], keyPrefix: string): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < urls.length) {
      const index = next++;
      await copy(urls[index] as string, `${keyPrefix}/${index}.mp3`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return performance.now() - started;
}

exitWithParent(async () => {});
if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket, "us-east-1");
process.on("message", (message: { urls: string[]; keyPrefix: string }) => {
  copyAll(message.urls, message.keyPrefix).then(
    (ms) => process.send?.({ ms }),
    (error: Error) => process.send?.({ error: error.message }),
  );
});
process.send?.({ ready: true });
