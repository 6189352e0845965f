export { startIngester } from "./start-ingester.ts";
