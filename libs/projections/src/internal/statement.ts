import { createHash } from 'node:crypto';
import type { SqlQueryOptions } from '@app/event-store';

export interface Statement extends SqlQueryOptions {
  readonly text: string;
  readonly name: string;
}

const cache = new Map<string, Statement>();

/**
 * SQL text with a name derived from it, so that PostgreSQL prepares it once per connection
 * (one name, one text: the name is the text's hash). Texts that embed a generation's table
 * name get a name per generation. PGlite ignores names.
 */
export const statement = (text: string): Statement => {
  let found = cache.get(text);
  if (!found) {
    found = { text, name: `projections_${createHash('sha256').update(text).digest('hex').slice(0, 16)}` };
    cache.set(text, found);
  }
  return found;
};
