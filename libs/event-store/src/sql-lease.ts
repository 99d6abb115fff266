import type { SqlQueryable, SqlQueryOptions } from './sql-database.port';
import { statement } from './statement';

/** Whose leases: the component that owns them (the name it migrates under). */
export interface SqlLeaseOptions {
  /** e.g. `projections`, `messaging`: the `component` column of the `leases` table */
  readonly component: string;
  /**
   * Names the acquire statement so that PostgreSQL prepares it once per connection (see
   * {@link SqlQueryOptions.name}): for callers that renew in every batch. Default: unnamed.
   */
  readonly prepared?: boolean;
}

export interface SqlLeaseHolder {
  readonly owner: string;
  readonly expiresAt: Date;
}

const ACQUIRE = statement(`INSERT INTO leases AS l (component, name, owner, expires_at)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))
ON CONFLICT (component, name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
RETURNING owner`);
const RELEASE = 'DELETE FROM leases WHERE component = $1 AND name = $2 AND owner = $3';
const HOLDER = 'SELECT owner, expires_at FROM leases WHERE component = $1 AND name = $2 AND expires_at >= now()';

/**
 * A lease row: which process is the active one for something (a projection's runner, the
 * Kafka relay), the others standing by. One table, `leases` (migration 0003), keyed by
 * (component, name): the projections' leases (docs/projections.md "One runner per
 * projection") and the relay's (libs/messaging's relay-leadership.ts) are rows in it:
 *
 * - taken when free, expired or already ours, and renewed the same way; expiry by the
 *   database's clock, the one clock every process shares;
 * - the WHERE of ON CONFLICT is evaluated on the row as the last committer left it, so one
 *   asking while the holder's transaction renews waits for that commit and then finds the
 *   lease renewed.
 *
 * It keeps a second process standing by instead of competing; it is not what makes effects
 * exactly-once (the callers' checkpoint compare-and-set or fence is).
 */
export class SqlLease {
  readonly component: string;
  private readonly acquireOptions: SqlQueryOptions | undefined;

  constructor({ component, prepared = false }: SqlLeaseOptions) {
    this.component = component;
    this.acquireOptions = prepared ? ACQUIRE : undefined;
  }

  /** true when `owner` holds the lease on `key` for the next `durationMs` (taken or renewed) */
  async acquire(q: SqlQueryable, key: string, owner: string, durationMs: number): Promise<boolean> {
    const { rows } = await q.query<{ owner: string }>(
      ACQUIRE.text,
      [this.component, key, owner, durationMs],
      this.acquireOptions,
    );
    return rows.length === 1;
  }

  /** Gives the lease on `key` up, if `owner` holds it. */
  async release(q: SqlQueryable, key: string, owner: string): Promise<void> {
    await q.query(RELEASE, [this.component, key, owner]);
  }

  /** the owner holding an unexpired lease on `key`, if any */
  async holder(q: SqlQueryable, key: string): Promise<SqlLeaseHolder | undefined> {
    const { rows } = await q.query<{ owner: string; expires_at: Date | string }>(HOLDER, [this.component, key]);
    return rows[0] ? { owner: rows[0].owner, expiresAt: new Date(rows[0].expires_at) } : undefined;
  }
}
