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
  /**
   * How long a standby must find a holder's presence gone, from one of its polls to a
   * later one, before it takes the lease over: long enough for a live holder whose
   * presence connection dropped to reconnect (it tries after 100 ms). Default 2 s.
   */
  readonly absentForMs?: number;
}

export interface SqlLeaseHolder {
  readonly owner: string;
  readonly expiresAt: Date;
}

/**
 * The first key of every presence lock: `pg_advisory_lock(PRESENCE_LOCK_CLASS, key)`, a
 * session-level advisory lock on two int4 keys (pg_locks shows it with objsubid 2, apart
 * from the one-key bigint locks). 'PRES' in ASCII. Taken by PgDatabase's listening
 * connection (`SqlDatabase.presence`).
 */
export const PRESENCE_LOCK_CLASS = 0x50524553;

/** true when no session holds the presence lock of the lease row `l` */
const PRESENCE_GONE = `NOT EXISTS (
  SELECT FROM pg_locks k
  WHERE k.locktype = 'advisory' AND k.objsubid = 2 AND k.granted
    AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND k.classid = ${PRESENCE_LOCK_CLASS}::oid AND k.objid = l.presence::oid)`;

// $6: the holder's presence key, when this caller has found it gone long enough (else
// null). Its alternative runs only when the first two are false: a standby asking.
const ACQUIRE = statement(`INSERT INTO leases AS l (component, name, owner, expires_at, presence)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000), $5::integer)
ON CONFLICT (component, name) DO UPDATE
SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at, presence = EXCLUDED.presence
WHERE l.owner = EXCLUDED.owner OR l.expires_at < now()
   OR ($6::integer IS NOT NULL AND l.presence = $6::integer AND ${PRESENCE_GONE})
RETURNING owner`);
/** the holder's presence key when its lock is gone */
const ABSENT = `SELECT l.presence FROM leases l
WHERE l.component = $1 AND l.name = $2 AND l.presence IS NOT NULL AND ${PRESENCE_GONE}`;
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
 * - taken over before it expires when its holder's process is gone. A holder gives its
 *   process's presence key (`SqlDatabase.presence`, migration 0004): the key of a session
 *   advisory lock that the server releases when that process dies, even by SIGKILL. A
 *   standby whose request is refused looks for that lock; when it finds it gone at two
 *   polls at least {@link SqlLeaseOptions.absentForMs} apart, it takes the lease at once.
 *   A holder whose presence connection dropped a moment takes its lock again well within
 *   that; one that renews without a presence key (PGlite, or its connection still down)
 *   is freed by expiry only;
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
  private readonly absentForMs: number;
  /** per lease name: the holder's presence key this process found gone, and since when (performance.now()) */
  private readonly absences = new Map<string, { readonly presence: number; readonly since: number }>();

  constructor({ component, prepared = false, absentForMs = 2_000 }: SqlLeaseOptions) {
    this.component = component;
    this.acquireOptions = prepared ? ACQUIRE : undefined;
    this.absentForMs = absentForMs;
  }

  /**
   * true when `owner` holds the lease on `key` for the next `durationMs` (taken or renewed);
   * `presence`: the key of its process's presence lock, if it holds one
   */
  async acquire(q: SqlQueryable, key: string, owner: string, durationMs: number, presence?: number): Promise<boolean> {
    const absent = this.absences.get(key);
    const gone = absent && performance.now() - absent.since >= this.absentForMs ? absent.presence : null;
    const { rows } = await q.query<{ owner: string }>(
      ACQUIRE.text,
      [this.component, key, owner, durationMs, presence ?? null, gone],
      this.acquireOptions,
    );
    if (rows.length === 1) {
      this.absences.delete(key);
      return true;
    }
    const { rows: found } = await q.query<{ presence: number }>(ABSENT, [this.component, key]);
    if (!found[0]) this.absences.delete(key);
    else if (absent?.presence !== found[0].presence)
      this.absences.set(key, { presence: found[0].presence, since: performance.now() });
    return false;
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
