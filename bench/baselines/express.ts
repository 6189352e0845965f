// Baseline: bare Express 5 with express.json() answering 202 — the framework cost without the app's work.
import express from "express";

const app = express();
app.disable("x-powered-by");
app.post("/webhook/anura{/}", express.json(), (_req, res) => {
  res.status(202).json({ success: true });
});
const server = app.listen(Number(process.argv[2]), "127.0.0.1");
server.keepAliveTimeout = 65_000;
process.once("SIGTERM", () => server.close(() => process.exit(0)).closeAllConnections());
