// Baseline: the least any Node HTTP server can do per webhook — read the body, answer 202.
import { createServer } from "node:http";

const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(202, { "content-type": "application/json" }).end('{"success":true}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2]), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)).closeAllConnections());
