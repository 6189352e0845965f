import { type IncomingHttpHeaders, request } from "node:http";

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The client's own address (any 127.0.0.x works on Linux): a new client without any proxy header. */
  from?: string;
}

/** One HTTP request from a chosen loopback address, which fetch cannot choose. */
export function sendFrom(url: string, options: SendOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        // Node's client sends no length for a DELETE or OPTIONS body unless told, which garbles the request.
        headers: {
          ...(options.body === undefined ? {} : { "content-length": String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        localAddress: options.from,
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
