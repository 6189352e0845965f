export { createIngesterApp } from "./app.ts";
export { receiveWebhook } from "./routes/webhook.ts";
export { startIngester } from "./start-ingester.ts";
