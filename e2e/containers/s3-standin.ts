// The test's MinIO stand-in (s3-standin.Dockerfile): the embedded S3 on 0.0.0.0:9000 until SIGTERM.
import { startEmbeddedS3 } from "@anura/dev-s3";

const s3 = await startEmbeddedS3({ directory: "/data", port: 9000, host: "0.0.0.0" });
console.log(`s3 stand-in listening on ${s3.endpoint}`);
process.once("SIGTERM", () => void s3.close().then(() => process.exit(0)));
