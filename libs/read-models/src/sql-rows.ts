import type { SqlQueryable } from '@app/event-store';

/** pg gives timestamptz as Date and bigint as text; PGlite as Date and number. Both normalised here. */
export const instantOf = (value: unknown): string => new Date(value as string | Date).toISOString();
export const optionalInstantOf = (value: unknown): string | null =>
  value === null || value === undefined ? null : instantOf(value);
export const numberOf = (value: unknown): number => Number(value);
export const optionalNumberOf = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** A column of a multi-row write: its name and its SQL type (for `jsonb_to_recordset`). */
export type Column = readonly [name: string, type: string];

export interface RecordsetWriter {
  /** writes the rows (objects keyed by column name) with one statement; nothing for none */
  write(tx: SqlQueryable, rows: readonly Record<string, unknown>[]): Promise<void>;
}

/**
 * A multi-row upsert of one physical table: the rows travel as ONE jsonb parameter and
 * `jsonb_to_recordset` turns them back into typed columns, so a batch of any size is one
 * statement with one parameter (no 65,535-parameter limit, one plan per table). `guard`, if
 * given, is the `WHERE` of the `DO UPDATE` (e.g. only a newer version wins). The rows must
 * have distinct keys: PostgreSQL refuses to update the same row twice in one statement.
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
SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${columns.map(([n, type]) => `${n} ${type}`).join(', ')})
ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}${
    guard ? `\nWHERE ${guard}` : ''
  }`;
  return {
    write: async (tx, rows) => {
      if (rows.length === 0) return;
      await tx.query(text, [JSON.stringify(rows)]);
    },
  };
};

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
