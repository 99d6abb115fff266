import { createHash } from 'node:crypto';
import type { SqlQueryable, SqlQueryOptions } from './sql-database.port';

/** Where a lease lives: a table `(<key> text PRIMARY KEY, owner text, expires_at timestamptz)`. */
export interface SqlLeaseTable {
  /** e.g. `projection_leases`, `relay_leases` */
  readonly table: string;
  /** the primary key column: what is leased, e.g. `projection`, `relay` */
  readonly key: string;
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

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * A lease row: which process is the active one for something (a projection's runner, the
 * Kafka relay), the others standing by. The projections' and the relay's leases, each in
 * its own table (docs/projections.md "One runner per projection", libs/messaging's
 * relay-leadership.ts):
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
  private readonly acquireSql: string;
  private readonly acquireOptions: SqlQueryOptions | undefined;
  private readonly releaseSql: string;
  private readonly holderSql: string;

  constructor({ table, key, prepared = false }: SqlLeaseTable) {
    if (!IDENTIFIER.test(table) || !IDENTIFIER.test(key))
      throw new TypeError(`A lease table and key column must be plain identifiers: ${table}, ${key}`);
    this.acquireSql = `INSERT INTO ${table} AS l (${key}, owner, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
ON CONFLICT (${key}) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
RETURNING owner`;
    this.acquireOptions = prepared
      ? { name: `lease_${createHash('sha256').update(this.acquireSql).digest('hex').slice(0, 16)}` }
      : undefined;
    this.releaseSql = `DELETE FROM ${table} WHERE ${key} = $1 AND owner = $2`;
    this.holderSql = `SELECT owner, expires_at FROM ${table} WHERE ${key} = $1 AND expires_at >= now()`;
  }

  /** true when `owner` holds the lease on `key` for the next `durationMs` (taken or renewed) */
  async acquire(q: SqlQueryable, key: string, owner: string, durationMs: number): Promise<boolean> {
    const { rows } = await q.query<{ owner: string }>(this.acquireSql, [key, owner, durationMs], this.acquireOptions);
    return rows.length === 1;
  }

  /** Gives the lease on `key` up, if `owner` holds it. */
  async release(q: SqlQueryable, key: string, owner: string): Promise<void> {
    await q.query(this.releaseSql, [key, owner]);
  }

  /** the owner holding an unexpired lease on `key`, if any */
  async holder(q: SqlQueryable, key: string): Promise<SqlLeaseHolder | undefined> {
    const { rows } = await q.query<{ owner: string; expires_at: Date | string }>(this.holderSql, [key]);
    return rows[0] ? { owner: rows[0].owner, expiresAt: new Date(rows[0].expires_at) } : undefined;
  }
}
