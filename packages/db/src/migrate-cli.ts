import { databaseEnv, parseEnv } from "@anura/config";
import { migrateDatabase } from "./migrate.ts";

const { DATABASE_URL } = parseEnv(databaseEnv);
await migrateDatabase(DATABASE_URL);
console.log("migrations applied");
