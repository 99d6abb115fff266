import type { SqlQueryable } from '@app/event-store';
import { statement } from './statement';

/**
 * Which runner is the active one for a projection (docs/projections.md, "One runner").
 * The lease is taken when free, expired or already ours, and renewed by every batch and
 * by a heartbeat. Expiry uses the database's clock, the one clock every process shares.
 * It keeps a second runner standing by instead of competing for every batch; it is not
 * what makes effects exactly-once (the checkpoint compare-and-set is).
 */
const ACQUIRE = statement(`INSERT INTO projection_leases AS l (projection, owner, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
ON CONFLICT (projection) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
RETURNING owner`);

/** true when `owner` holds the lease for the next `durationMs` */
export const acquireLease = async (
  q: SqlQueryable,
  projection: string,
  owner: string,
  durationMs: number,
): Promise<boolean> => {
  const { rows } = await q.query<{ owner: string }>(ACQUIRE.text, [projection, owner, durationMs], ACQUIRE);
  return rows.length === 1;
};

export const releaseLease = async (q: SqlQueryable, projection: string, owner: string): Promise<void> => {
  await q.query('DELETE FROM projection_leases WHERE projection = $1 AND owner = $2', [projection, owner]);
};

export interface LeaseHolder {
  readonly owner: string;
  readonly expiresAt: Date;
}

/** the runner holding an unexpired lease, if any */
export const leaseHolder = async (q: SqlQueryable, projection: string): Promise<LeaseHolder | undefined> => {
  const { rows } = await q.query<{ owner: string; expires_at: Date | string }>(
    'SELECT owner, expires_at FROM projection_leases WHERE projection = $1 AND expires_at >= now()',
    [projection],
  );
  return rows[0] ? { owner: rows[0].owner, expiresAt: new Date(rows[0].expires_at) } : undefined;
};
