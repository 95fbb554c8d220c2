import { index as pgIndex } from '@payloadcms/db-postgres/drizzle/pg-core'
import { index as sqliteIndex } from '@payloadcms/db-sqlite/drizzle/sqlite-core'

type SchemaHookArgs<Schema> = {
  schema: Schema & { tables: Record<string, object> }
  extendTable: (args: { table: never; extraConfig: (table: Record<string, never>) => object }) => void
}

/**
 * Payload stores hasMany text fields (`specialties`) in `<table>_texts`, indexed on (order, parent)
 * only, so reading a document's tags scans the whole table: with 10,000 articles a list of 20 took
 * seconds. An index on the parent makes it a lookup.
 */
const indexTextsByParent =
  (makeIndex: typeof sqliteIndex | typeof pgIndex) =>
  <Schema>({ schema, extendTable }: SchemaHookArgs<Schema>) => {
    for (const [name, table] of Object.entries(schema.tables)) {
      if (!name.endsWith('_texts')) continue
      extendTable({
        table: table as never,
        extraConfig: (columns) => ({ parentLookup: makeIndex(`${name}_parent_lookup_idx`).on(columns.parent as never) }),
      })
    }
    return schema
  }

export const sqliteSchemaHooks = [indexTextsByParent(sqliteIndex)]
export const postgresSchemaHooks = [indexTextsByParent(pgIndex)]
