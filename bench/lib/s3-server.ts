// Helper child: an embedded S3 server in its own process, so its CPU is not the bench's or an app's.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedS3 } from "@anura/dev-s3";
import { exitWithParent } from "./ipc.ts";

const directory = await mkdtemp(join(tmpdir(), "anura-bench-s3-"));
const s3 = await startEmbeddedS3({ directory });
exitWithParent(async () => {
  await s3.close();
  await rm(directory, { recursive: true, force: true });
});
process.send?.({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey });
