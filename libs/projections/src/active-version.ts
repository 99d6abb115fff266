import type { SqlQueryable } from '@app/event-store';
import { readGeneration } from './internal/generations';

/**
 * The code version of a projection's active generation (the one its views show), or
 * undefined before its first generation: what a query needs when a version added columns
 * that an older active generation, still serving during the upgrade's rebuild, lacks.
 */
export const activeVersionOf = async (q: SqlQueryable, projection: string): Promise<number | undefined> =>
  (await readGeneration(q, projection, 'active'))?.version;
