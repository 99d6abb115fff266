import { statementName, type SqlQueryable } from '@app/event-store';

/** pg gives timestamptz as Date and bigint as text; PGlite as Date and number. Both normalised here. */
export const instantOf = (value: unknown): string => new Date(value as string | Date).toISOString();
export const optionalInstantOf = (value: unknown): string | null =>
  value === null || value === undefined ? null : instantOf(value);
export const numberOf = (value: unknown): number => Number(value);
export const optionalNumberOf = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** A column of a multi-row write: its name and its SQL type (its parameter is an array of that type). */
export type Column = readonly [name: string, type: string];

export interface RecordsetWriter {
  /** writes the rows (objects keyed by column name) with one statement; nothing for none */
  write(tx: SqlQueryable, rows: readonly Record<string, unknown>[]): Promise<void>;
}

/**
 * A multi-row upsert of one physical table: each column travels as ONE array parameter and
 * `unnest` zips them back into rows, so a batch of any size is one statement with one
 * parameter per column (no 65,535-parameter limit, one prepared plan per table: the
 * statement is named, so PostgreSQL plans it once per connection). `guard`, if given, is
 * the `WHERE` of the `DO UPDATE` (e.g. only a newer version wins). The rows must have
 * distinct keys: PostgreSQL refuses to update the same row twice in one statement.
 */
export const recordsetUpsert = (
  table: string,
  columns: readonly Column[],
  key: readonly string[],
  guard?: string,
): RecordsetWriter => {
  const names = columns.map(([name]) => name);
  const updates = names.filter((name) => !key.includes(name));
  const text = `INSERT INTO ${table} AS t (${names.join(', ')})
SELECT * FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}${
    guard ? `\nWHERE ${guard}` : ''
  }`;
  const options = { name: statementName(text) };
  return {
    write: async (tx, rows) => {
      if (rows.length === 0) return;
      await tx.query(
        text,
        names.map((name) => rows.map((row) => row[name] ?? null)),
        options,
      );
    },
  };
};

/** One name per SQL text (its hash), as PostgreSQL's named statements require: @app/event-store's. */
export { statementName } from '@app/event-store';

/** Memoises per physical table name (each generation of a projection has its own tables). */
export const perTable = <T>(make: (table: string) => T): ((table: string) => T) => {
  const made = new Map<string, T>();
  return (table) => {
    let found = made.get(table);
    if (found === undefined) {
      found = make(table);
      made.set(table, found);
    }
    return found;
  };
};
