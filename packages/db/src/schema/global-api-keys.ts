import { boolean, pgTable, serial, timestamp, varchar } from "../drizzle.ts";

/** Keys are stored only as SHA-256 hex; `prefix` is what humans see to tell keys apart. */
export const globalApiKeys = pgTable("global_api_keys", {
  id: serial("id").primaryKey(),
  name: varchar("name").notNull(),
  hashedKey: varchar("hashed_key").unique().notNull(),
  prefix: varchar("prefix").notNull(),
  isActive: boolean("is_active").default(true),
  createdAt: timestamp("created_at").defaultNow(),
  lastUsedAt: timestamp("last_used_at"),
});
