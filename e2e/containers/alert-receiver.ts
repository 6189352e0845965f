// The test's webhook receiver for Alertmanager: keeps what is POSTed, answers GET /received with it.
import { createServer } from "node:http";

const received: unknown[] = [];
const server = createServer((req, res) => {
  if (req.method === "POST") {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200).end();
    });
    return;
  }
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
});
server.listen(9099, "0.0.0.0");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
