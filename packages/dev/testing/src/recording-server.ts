import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour = (req: IncomingMessage, res: ServerResponse, hit: number) => void | Promise<void>;

/** Stands in for Anura's recording host: each path has a programmable behaviour and a request count. */
export class RecordingServer {
  readonly hits = new Map<string, number>();
  private readonly routes = new Map<string, Behaviour>();
  private readonly server: Server;
  baseUrl = "";

  constructor() {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const hit = (this.hits.get(path) ?? 0) + 1;
      this.hits.set(path, hit);
      const route = this.routes.get(path);
      if (!route) {
        res.writeHead(404).end("not found");
        return;
      }
      Promise.resolve(route(req, res, hit)).catch(() => res.destroy());
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get host(): string {
    return new URL(this.baseUrl).host;
  }

  route(path: string, behaviour: Behaviour): string {
    this.routes.set(path, behaviour);
    return `${this.baseUrl}${path}`;
  }

  /** Serve fixed bytes with a 200. */
  serve(path: string, body: Buffer, contentType = "audio/mpeg"): string {
    return this.route(path, (_req, res) => {
      res.writeHead(200, { "content-type": contentType, "content-length": body.length }).end(body);
    });
  }

  hitsFor(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
