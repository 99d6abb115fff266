import { createHash } from 'node:crypto';
import type { SqlQueryOptions } from './sql-database.port';

/** SQL text plus a name derived from it: pass it as the query's options. */
export interface Statement extends SqlQueryOptions {
  readonly text: string;
  readonly name: string;
}

const made = new Map<string, Statement>();

/**
 * A statement named by its text's hash, so that PostgreSQL parses and plans it once per
 * connection (a `pg` named prepared statement: one name, one text, always). Texts that embed
 * a generation's table name get a name per generation. PGlite ignores names. The one helper
 * of the repository: the store, the projection runner and the read models use it.
 */
export const statement = (text: string): Statement => {
  let found = made.get(text);
  if (!found) {
    found = { text, name: `stmt_${createHash('sha256').update(text).digest('hex').slice(0, 16)}` };
    made.set(text, found);
  }
  return found;
};

/** The name {@link statement} gives a text. */
export const statementName = (text: string): string => statement(text).name;
