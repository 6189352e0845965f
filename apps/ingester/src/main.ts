import { ingesterSettings, parseEnv } from "@anura/config";
import { runApp } from "@anura/lifecycle";
import { startIngester } from "./start-ingester.ts";

await runApp("ingester", parseEnv(ingesterSettings), startIngester);
