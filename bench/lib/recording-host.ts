import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateMp3 } from "@anura/testing";

export interface RecordingHost {
  host: string;
  mp3: Buffer;
  /** URL of a ~1 MB recording (same bytes for every name). */
  smallUrl(name: string): string;
  /** URL of a ~200 KB recording. */
  shortUrl(name: string): string;
  /** URL of a recording of about `bytes`, generated as it is sent: never in memory at once. */
  largeUrl(name: string, bytes: number): string;
  close(): Promise<void>;
}

/** About `bytes` of real MP3: a short encoded tone repeated frame-for-frame (encoding 500 s takes 7 s). */
export function repeatedMp3(bytes = 1_000_000): Buffer {
  const piece = generateMp3(16);
  return Buffer.concat(Array.from({ length: Math.ceil(bytes / piece.length) }, () => piece));
}

/** Stands in for Anura's recording host: /mp3/<name>.mp3 and /big/<bytes>/<name>.mp3. */
export async function startRecordingHost(): Promise<RecordingHost> {
  const mp3 = repeatedMp3();
  const short = repeatedMp3(200_000);
  const server: Server = createServer((req, res) => {
    const big = /^\/big\/(\d+)\//.exec(req.url ?? "");
    if (req.url?.startsWith("/short/")) {
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": short.length }).end(short);
    } else if (req.url?.startsWith("/mp3/")) {
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": mp3.length }).end(mp3);
    } else if (big) {
      const copies = Math.max(1, Math.round(Number(big[1]) / mp3.length));
      res.writeHead(200, { "content-type": "audio/mpeg", "content-length": copies * mp3.length });
      let sent = 0;
      const pump = () => {
        while (sent < copies) {
          sent++;
          if (sent === copies) res.end(mp3);
          else if (!res.write(mp3)) return void res.once("drain", pump);
        }
      };
      pump();
    } else {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    mp3,
    smallUrl: (name) => `http://${host}/mp3/${name}.mp3`,
    shortUrl: (name) => `http://${host}/short/${name}.mp3`,
    largeUrl: (name, bytes) => `http://${host}/big/${bytes}/${name}.mp3`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
