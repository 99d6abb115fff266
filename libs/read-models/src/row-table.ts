import { statementName, type SqlQueryable } from '@app/event-store';
import { instantOf, numberOf, optionalInstantOf, optionalNumberOf, perTable } from './sql-rows';

/**
 * How one field of a row object is stored: its SQL type, whether it may be NULL, and how a
 * value read back (pg: bigint as text, timestamptz as Date; PGlite: numbers; `json_agg`:
 * JSON) becomes the field's value again. Written values go to the database as they are,
 * one array parameter per column, unless the type says otherwise (`transport`).
 */
export interface ColumnType<V> {
  readonly sql: string;
  readonly nullable: boolean;
  read(value: unknown): V;
  /**
   * For a type `unnest` cannot carry as an array of it (an array column: `unnest` would
   * flatten an array of arrays): the parameter's element type, how a value is written into
   * it, and the SQL that turns the unnested element `u.<column>` back into the column's value.
   */
  readonly transport?: {
    readonly param: string;
    write(value: V): unknown;
    expression(ref: string): string;
  };
}

const type = <V>(
  sql: string,
  nullable: boolean,
  read: (value: unknown) => V,
  transport?: ColumnType<V>['transport'],
): ColumnType<V> => ({ sql, nullable, read, transport });
const orNull =
  <V>(read: (value: unknown) => V) =>
  (value: unknown) =>
    value === null || value === undefined ? null : read(value);

/** The column types the read models use; `…OrNull` ones are nullable (a missing column reads as null). */
export const text = <V extends string = string>(): ColumnType<V> => type('text', false, (v) => v as V);
export const textOrNull = <V extends string = string>(): ColumnType<V | null> =>
  type(
    'text',
    true,
    orNull((v) => v as V),
  );
/** an instant: timestamptz, read back as an ISO string */
export const instant = (): ColumnType<string> => type('timestamptz', false, instantOf);
export const instantOrNull = (): ColumnType<string | null> => type('timestamptz', true, optionalInstantOf);
export const integer = (): ColumnType<number> => type('integer', false, numberOf);
export const integerOrNull = (): ColumnType<number | null> => type('integer', true, optionalNumberOf);
export const bigint = (): ColumnType<number> => type('bigint', false, numberOf);
export const numeric = (): ColumnType<number> => type('numeric', false, numberOf);
export const doubleOrNull = (): ColumnType<number | null> => type('double precision', true, optionalNumberOf);
export const boolean = (): ColumnType<boolean> => type('boolean', false, (v) => v as boolean);
/** a list of strings: text[], travelling as JSON (one jsonb per row) */
export const textArray = (): ColumnType<readonly string[]> =>
  type('text[]', false, (v) => (v ?? []) as string[], {
    param: 'jsonb',
    write: (v) => JSON.stringify(v),
    expression: (ref) => `ARRAY(SELECT jsonb_array_elements_text(${ref}))`,
  });

/** A column of a row table: its type, and optionally its name (default: the field in snake_case) and collation. */
export interface ColumnSpec<V> {
  readonly type: ColumnType<V>;
  readonly name?: string;
  /** `"C"`: compared bytewise, the same on PostgreSQL and PGlite (keys, and what lists sort or group by) */
  readonly collate?: 'C';
}

/** One column per field of `Row`, in the table's column order. */
export type ColumnsOf<Row> = { readonly [K in keyof Row]-?: ColumnType<Row[K]> | ColumnSpec<Row[K]> };

export interface RowTableSpec<Row> {
  readonly columns: ColumnsOf<Row>;
  /** the primary key's fields */
  readonly key: readonly (keyof Row & string)[];
  /** the `WHERE` of the upsert's `DO UPDATE` (`t` is the stored row), e.g. `t.version < EXCLUDED.version` */
  readonly guard?: string;
  /** which columns are `NOT NULL`: those whose type is not nullable (default), or only the key's */
  readonly notNull?: 'not-nullable' | 'key';
  /** `"C"` for every text column (default: only those that say so) */
  readonly collateText?: 'C';
  /** more column definitions (generated columns) after a field's column, e.g. `{ language: ['language_tag text GENERATED …'] }` */
  readonly after?: { readonly [K in keyof Row]?: readonly string[] };
  /** indexes and the like, after the `CREATE TABLE`, for a physical table name */
  readonly extra?: (table: string) => string;
}

interface Column {
  readonly field: string;
  readonly name: string;
  readonly type: ColumnType<unknown>;
  readonly collate?: 'C';
}

/**
 * A table of rows declared once, from one column list: its DDL, its multi-row upsert and its
 * row reader are all derived from it, so a column is never written twice.
 */
export interface RowTable<Row> {
  /** the column names, in order, for a `SELECT` list */
  readonly names: string;
  /** the `CREATE TABLE` (and `extra`) of one physical table */
  ddl(table: string): string;
  /** the `CREATE TABLE` alone (with its primary key) */
  table(table: string): string;
  /** `extra` alone (the secondary indexes): what a rebuild may create after filling the table */
  indexes(table: string): string;
  /** a row as a driver (or `json_agg`) gives it back → the row object */
  read(row: Record<string, unknown>): Row;
  /**
   * Writes rows with ONE statement: each column travels as one array parameter and
   * `unnest` zips them back into rows (no 65,535-parameter limit; the statement is named,
   * so PostgreSQL plans it once per connection). Nothing for no rows. The rows must have
   * distinct keys: PostgreSQL refuses to update the same row twice in one statement.
   */
  upsert(tx: SqlQueryable, table: string, rows: readonly Row[]): Promise<void>;
  /**
   * The rows whose (single-field) key is one of `keys`. Not a named statement: a generic
   * plan, not knowing how many keys come, would scan the whole table; planned for each
   * batch, it reads by the primary key.
   */
  selectByKey(tx: SqlQueryable, table: string, keys: readonly string[]): Promise<Row[]>;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const rowTable = <Row>(spec: RowTableSpec<Row>): RowTable<Row> => {
  const columns: Column[] = Object.entries(
    spec.columns as Record<string, ColumnType<unknown> | ColumnSpec<unknown>>,
  ).map(([field, c]) => {
    const s: ColumnSpec<unknown> = 'sql' in c ? { type: c } : c;
    return { field, name: s.name ?? snake(field), type: s.type, collate: s.collate };
  });
  const names = columns.map((c) => c.name);
  const keyNames = spec.key.map((field) => (columns.find((c) => c.field === field) as Column).name);
  const notNull = (c: Column) => (spec.notNull === 'key' ? keyNames.includes(c.name) : !c.type.nullable);
  const collate = (c: Column) => (c.type.sql === 'text' ? (c.collate ?? spec.collateText) : undefined);
  const after = (spec.after ?? {}) as Record<string, readonly string[] | undefined>;
  const definitions = columns.flatMap((c) => [
    `${c.name} ${c.type.sql}${collate(c) ? ` COLLATE "${collate(c)}"` : ''}${notNull(c) ? ' NOT NULL' : ''}`,
    ...(after[c.field] ?? []),
  ]);
  const updates = names.filter((name) => !keyNames.includes(name));

  const upsertOf = perTable((t: string) => {
    const params = columns.map((c, i) => `$${i + 1}::${c.type.transport?.param ?? c.type.sql}[]`).join(', ');
    const rows = columns.some((c) => c.type.transport)
      ? `SELECT ${columns.map((c) => c.type.transport?.expression(`u.${c.name}`) ?? `u.${c.name}`).join(', ')}
  FROM unnest(${params}) AS u(${names.join(', ')})`
      : `SELECT * FROM unnest(${params})`;
    const text = `INSERT INTO ${t} AS t (${names.join(', ')})
${rows}
ON CONFLICT (${keyNames.join(', ')}) DO UPDATE SET ${updates.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}${
      spec.guard ? `\nWHERE ${spec.guard}` : ''
    }`;
    return { text, name: statementName(text) };
  });
  const selectOf = perTable(
    (t: string) => `SELECT ${names.join(', ')} FROM ${t} WHERE ${keyNames[0]} = ANY($1::text[])`,
  );

  const read = (row: Record<string, unknown>): Row => {
    const out: Record<string, unknown> = {};
    for (const c of columns) out[c.field] = c.type.read(row[c.name]);
    return out as Row;
  };

  const table = (t: string) => `
CREATE TABLE ${t} (
  ${definitions.join(',\n  ')},
  CONSTRAINT ${t}_pkey PRIMARY KEY (${keyNames.join(', ')})
);
`;
  const indexes = (t: string) => (spec.extra ? spec.extra(t) : '');
  return {
    names: names.join(', '),
    ddl: (t) => `${table(t)}${indexes(t)}`,
    table,
    indexes,
    read,
    upsert: async (tx, t, rows) => {
      if (rows.length === 0) return;
      const statement = upsertOf(t);
      await tx.query(
        statement.text,
        columns.map((c) => {
          const write = c.type.transport?.write as ((value: unknown) => unknown) | undefined;
          return rows.map((row) => {
            const value = (row as Record<string, unknown>)[c.field] ?? null;
            return write && value !== null ? write(value) : value;
          });
        }),
        statement,
      );
    },
    selectByKey: async (tx, t, keys) => (await tx.query<Record<string, unknown>>(selectOf(t), [keys])).rows.map(read),
  };
};
