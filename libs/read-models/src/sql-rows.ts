/** pg gives timestamptz as Date and bigint as text; PGlite as Date and number. Both normalised here. */
export const instantOf = (value: unknown): string => new Date(value as string | Date).toISOString();
export const optionalInstantOf = (value: unknown): string | null =>
  value === null || value === undefined ? null : instantOf(value);
export const numberOf = (value: unknown): number => Number(value);
export const optionalNumberOf = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

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
