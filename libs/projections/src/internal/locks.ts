import type { SqlQueryable } from '@app/event-store';

/**
 * Transaction-scoped advisory locks, one per (projection, scope). They are the mutual
 * exclusion of writers: every transaction that writes a generation's rows or checkpoint
 * holds the lock of that generation's scope, and PostgreSQL releases it at COMMIT or
 * ROLLBACK, also when the connection dies, so a crashed runner never leaves a stale lock.
 * (The two-int form has its own key space, apart from the migrator's bigint lock.)
 *
 * - `active`: the generation readers see. Live batches try it (a runner that cannot have
 *   it steps back at once instead of holding a connection while it waits); the swap and
 *   retries of parked events wait for it.
 * - `building`: the generation a rebuild writes.
 */
export type LockScope = 'active' | 'building';

const LOCK_SPACE = 722_014_502;

const key = (projection: string, scope: LockScope) => `${scope}:${projection}`;

/** true when this transaction now holds the lock; false when another transaction does */
export const tryLock = async (tx: SqlQueryable, projection: string, scope: LockScope): Promise<boolean> => {
  const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
    LOCK_SPACE,
    key(projection, scope),
  ]);
  return rows[0]?.locked === true;
};

/** waits until this transaction holds the lock */
export const lock = async (tx: SqlQueryable, projection: string, scope: LockScope): Promise<void> => {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SPACE, key(projection, scope)]);
};
