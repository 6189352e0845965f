import { databaseEnv, databaseSettings, parseEnv } from "@anura/config";
import { migrateDatabase } from "./migrate.ts";

// DATABASE_DIRECT_URL when set: the migrator's session-level lock needs a session, not a pooled transaction.
await migrateDatabase(databaseSettings(parseEnv(databaseEnv)).migrationUrl);
console.log("migrations applied");
