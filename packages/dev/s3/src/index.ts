/// <reference path="./s3rver.d.ts" />
import type { AddressInfo } from "node:net";
import S3rver from "@20minutes/s3rver";

export interface EmbeddedS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  close(): Promise<void>;
}

/**
 * An in-process S3 server for development and tests, so the minio client code path is the one
 * production uses. Not for production: it has one fixed credential and no durability guarantees.
 */
export async function startEmbeddedS3(options: { directory: string; port?: number; host?: string }): Promise<EmbeddedS3> {
  const server = new S3rver({
    port: options.port ?? 0,
    address: options.host ?? "127.0.0.1",
    directory: options.directory,
    silent: true,
    configureBuckets: [],
  });
  // s3rver answers ListMultipartUploads with NotImplemented; minio asks it before every stream upload.
  server.middleware.unshift(async (ctx: ListUploadsContext, next: () => Promise<void>) => {
    if (ctx.method === "GET" && "uploads" in ctx.query && ctx.path.split("/").filter(Boolean).length === 1) {
      const bucket = ctx.path.split("/")[1];
      ctx.type = "application/xml";
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`;
      return;
    }
    await next();
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://${address.address}:${address.port}`,
    accessKey: "S3RVER",
    secretKey: "S3RVER",
    close: () => server.close(),
  };
}

interface ListUploadsContext {
  method: string;
  path: string;
  query: Record<string, unknown>;
  type: string;
  body: unknown;
}
