import { ingesterSettings } from "@anura/config";
import { runApp } from "@anura/lifecycle";
import { startIngester } from "./start-ingester.ts";

await runApp("ingester", ingesterSettings, startIngester);
