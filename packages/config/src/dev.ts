import { z } from "zod";
import { port } from "./fields.ts";

/** The development stand-ins `pnpm start` runs when NODE_ENV is not production. */
export const devEnv = z.object({
  /** The embedded S3, when S3_ENDPOINT is unset. */
  DEV_S3_PORT: port(9000),
  /** The sample-recording server that `pnpm cli simulate-call` points END's recording at. */
  DEV_RECORDINGS_PORT: port(9002),
  /** Loopback unless a container must reach it (the compose demo profile sets 0.0.0.0). */
  DEV_RECORDINGS_HOST: z.string().min(1).default("127.0.0.1"),
  /** The stand-in for Anura's token endpoint and CDR API, when ANURA_API_CLIENT_ID is unset. */
  DEV_ANURA_API_PORT: port(9003),
});

export type DevEnv = z.output<typeof devEnv>;
