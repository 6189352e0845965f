import type { Readable } from "node:stream";
import type { Client } from "minio";

/**
 * A stream into `key` as a multipart upload through one part buffer, reused for every part: minio's
 * putObject allocates a new one per part and queues finished parts while one uploads, which is what
 * a large recording cost in memory. Reading waits while a part uploads. The object appears only when
 * the upload completes; on any failure the upload is aborted, leaving no parts behind.
 */
export async function multipartUpload(
  client: Client,
  target: { bucket: string; key: string; contentType: string; partSize: number },
  body: Readable,
): Promise<void> {
  const { bucket, key } = target;
  const uploadId = await client.initiateNewMultipartUpload(bucket, key, { "Content-Type": target.contentType });
  try {
    const part = Buffer.allocUnsafe(target.partSize);
    const etags: { part: number; etag: string }[] = [];
    let filled = 0;
    const send = async (bytes: Buffer) => {
      const partNumber = etags.length + 1;
      const uploaded = await client.uploadPart(
        { bucketName: bucket, objectName: key, uploadID: uploadId, partNumber, headers: {} },
        bytes,
      );
      etags.push({ part: partNumber, etag: uploaded.etag });
    };
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (let offset = 0; offset < chunk.length; ) {
        const copied = chunk.copy(part, filled, offset);
        filled += copied;
        offset += copied;
        if (filled === part.length) {
          await send(part);
          filled = 0;
        }
      }
    }
    if (filled > 0 || etags.length === 0) await send(part.subarray(0, filled));
    await client.completeMultipartUpload(bucket, key, uploadId, etags);
  } catch (error) {
    await client.abortMultipartUpload(bucket, key, uploadId).catch(() => {}); // the error to report is the first one
    throw error;
  }
}
