export { createIngesterApp } from "./app.ts";
export { RATE_LIMIT_FLUSH_MS } from "./http/key-rate-limiter.ts";
export { receiveWebhook } from "./routes/webhook.ts";
export { startIngester } from "./start-ingester.ts";
