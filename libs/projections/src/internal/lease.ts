import { SqlLease, type SqlLeaseHolder, type SqlQueryable } from '@app/event-store';
import { PROJECTIONS_COMPONENT } from '../projections.migrations';

/**
 * Which runner is the active one for a projection (docs/projections.md, "One runner").
 * The lease is taken when free, expired, already ours or held by a process that is gone
 * (its presence lock released: SqlLease), and renewed by every batch and by a heartbeat.
 * Expiry uses the database's clock, the one clock every process shares.
 * It keeps a second runner standing by instead of competing for every batch; it is not
 * what makes effects exactly-once (the checkpoint compare-and-set is). A row of the store's
 * `leases` table under the component `projections`, named by the projection; the SQL is the
 * store's {@link SqlLease}, the one the Kafka relay uses too.
 */
const leases = new SqlLease({ component: PROJECTIONS_COMPONENT, prepared: true });

/** true when `owner` holds the lease for the next `durationMs`; `presence`, its process's presence key, if any */
export const acquireLease = (
  q: SqlQueryable,
  projection: string,
  owner: string,
  durationMs: number,
  presence: number | undefined,
): Promise<boolean> => leases.acquire(q, projection, owner, durationMs, presence);

export const releaseLease = (q: SqlQueryable, projection: string, owner: string): Promise<void> =>
  leases.release(q, projection, owner);

export type LeaseHolder = SqlLeaseHolder;

/** the runner holding an unexpired lease, if any */
export const leaseHolder = (q: SqlQueryable, projection: string): Promise<LeaseHolder | undefined> =>
  leases.holder(q, projection);
