import type { Migration } from './migration';

/**
 * A lease records its holder's presence key (`SqlDatabase.presence`): the second key of a
 * session advisory lock that the holder's process holds for as long as it lives. A standby
 * finds that lock gone when the holder died, and takes the lease over without waiting for
 * `expires_at` (sql-lease.ts). Null for a holder without one (PGlite, or a presence
 * connection that is down): such a lease is freed by its expiry only, as before.
 */
export const leasePresenceMigration: Migration = {
  version: 4,
  name: 'lease presence',
  sql: `
ALTER TABLE leases ADD COLUMN presence integer;
`,
};
