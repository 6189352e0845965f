import type { Readable } from "node:stream";
import { Client } from "minio";
import { multipartUpload } from "./multipart-upload.ts";

export interface StorageConfig {
  /** `http(s)://host:port`, or a bare `host:port` meaning plain http. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export interface RecordingStore {
  bucket: string;
  ensureBucket(): Promise<void>;
  /**
   * Streams into the bucket; the object only becomes visible once the whole upload succeeded.
   * With its `size` known, a body of one part or less goes up in a single PUT instead of four requests.
   */
  put(key: string, body: Readable, contentType: string, size?: number): Promise<void>;
  get(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
}

// The minimum S3 part size: a stream of known size up to this is buffered and sent as a single PUT;
// anything larger, or of unknown size, goes up in parts of this size through one reused buffer.
const PART_SIZE = 5 * 1024 * 1024;

export function createRecordingStore(config: StorageConfig): RecordingStore {
  const url = new URL(config.endpoint.includes("://") ? config.endpoint : `http://${config.endpoint}`);
  const useSSL = url.protocol === "https:";
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.accessKey,
    secretKey: config.secretKey,
    region: config.region,
    pathStyle: true,
  });
  const { bucket } = config;
  return {
    bucket,
    async ensureBucket() {
      if (!(await client.bucketExists(bucket))) {
        try {
          await client.makeBucket(bucket, config.region);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== "BucketAlreadyOwnedByYou" && code !== "BucketAlreadyExists") throw error;
        }
      }
    },
    async put(key, body, contentType, size) {
      if (size !== undefined && size <= PART_SIZE) {
        await client.putObject(bucket, key, body, size, { "Content-Type": contentType });
      } else {
        await multipartUpload(client, { bucket, key, contentType, partSize: PART_SIZE }, body);
      }
    },
    get: (key) => client.getObject(bucket, key),
    async exists(key) {
      try {
        await client.statObject(bucket, key);
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === "NotFound") return false;
        throw error;
      }
    },
  };
}
