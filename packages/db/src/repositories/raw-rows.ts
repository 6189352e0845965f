import { getTableColumns, type PgTable } from "../drizzle.ts";

/**
 * A table's rows read with raw SQL on the postgres.js client, typed and converted exactly as drizzle's
 * own selects return them (timestamps as Date, bigints as numbers): one read model, whichever reads it.
 */
export function rawRows<T extends PgTable>(table: T) {
  const columns = Object.entries(getTableColumns(table));
  return {
    /** The select list: every column, named by its key in the model. */
    columns: columns.map(([key, column]) => `"${column.name}" as "${key}"`).join(", "),
    decode(row: Record<string, unknown>): T["$inferSelect"] {
      for (const [key, column] of columns) {
        const value = row[key];
        if (value !== null && value !== undefined) row[key] = column.mapFromDriverValue(value);
      }
      return row as T["$inferSelect"];
    },
  };
}
