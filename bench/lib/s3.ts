import { nextMessage } from "./ipc.ts";
import { type Child, spawnNode } from "./processes.ts";

export interface BenchS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  child: Child;
}

/** Start the embedded S3 server as a child process and learn its endpoint. */
export async function startS3(): Promise<BenchS3> {
  const child = spawnNode("s3", "bench/lib/s3-server.ts", { ipc: true });
  const info = await nextMessage<Omit<BenchS3, "child" | "bucket">>(child);
  return { ...info, bucket: "audios", child };
}
