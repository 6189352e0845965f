import { createConnection, createServer, type Socket } from "node:net";

/** pass: forward; refuse: drop at once; garbage: answer bytes that are not HTTP; error500: answer an S3-style 500. */
export type ProxyMode = "pass" | "refuse" | "garbage" | "error500";

const S3_ERROR = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected</Message></Error>';

/**
 * A loopback TCP proxy in front of a real service that a test can cut or make misbehave, to make
 * Postgres, Redis or S3 unreachable or broken for a while. Switching mode drops open connections.
 */
export async function startFaultProxy(targetPort: number, targetHost = "127.0.0.1") {
  const sockets = new Set<Socket>();
  let mode: ProxyMode = "pass";
  const faults = { refused: 0, garbage: 0, error500: 0 };
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (mode === "refuse") {
      faults.refused++;
      client.destroy();
    } else if (mode === "garbage") {
      faults.garbage++;
      client.end(Buffer.from("\u0000\u0017garbage, not HTTP\r\n\r\n"));
    } else if (mode === "error500") {
      // Answer once the request has started arriving, as a failing S3 would.
      client.once("data", () => {
        faults.error500++;
        client.end(
          `HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/xml\r\ncontent-length: ${S3_ERROR.length}\r\nconnection: close\r\n\r\n${S3_ERROR}`,
        );
      });
    } else {
      const upstream = createConnection(targetPort, targetHost);
      track(upstream);
      for (const socket of [client, upstream]) socket.once("close", () => (socket === client ? upstream : client).destroy());
      client.pipe(upstream).pipe(client);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    faults,
    setMode(next: ProxyMode) {
      mode = next;
      for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
