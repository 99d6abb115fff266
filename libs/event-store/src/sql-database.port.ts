/**
 * The little of SQL that the store, projections and checkpoints need, over either a
 * `pg` pool (PostgreSQL server) or PGlite (embedded). Both speak the same SQL, so one
 * schema and one migration set serve both.
 */
export interface SqlQueryOptions {
  /**
   * Names the statement so that PostgreSQL parses and plans it once per connection and
   * reuses the plan (a `pg` named prepared statement). Worth it on hot paths: on a small
   * machine, planning costs as much as the insert itself. One name, one SQL text, always.
   * PGlite ignores it.
   */
  readonly name?: string;
}

export interface SqlQueryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<{ rows: R[] }>;
}

/** What a transaction callback gets: one connection, inside BEGIN … COMMIT. */
export interface SqlTransaction extends SqlQueryable {
  /** runs several statements (no parameters) inside the transaction, e.g. a migration file */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlQueryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction on one connection; rolls back if it throws.
   * Inside `fn`, use `tx` only: on PGlite (one connection) a call to the database itself
   * waits for this transaction to end, so it would never return.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** runs several statements (no parameters), e.g. a migration file */
  exec(sql: string): Promise<void>;
  /**
   * LISTEN on a channel; resolves to an unlisten function.
   * `onNotify` may also be called with `''` after a lost connection was re-established:
   * notifications sent meanwhile are lost, so a listener should then look for itself.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY outside any transaction: listeners get it at once */
  notify(channel: string, payload?: string): Promise<void>;
  /**
   * A key that stands for this process on the server for as long as it lives: a session
   * advisory lock (`PRESENCE_LOCK_CLASS`, key) held on a connection of its own, which the
   * server releases when the process dies. Leases record it, so that a standby can take
   * over a dead holder's lease within seconds instead of when it expires (sql-lease.ts).
   * Undefined while that connection is down. PostgreSQL only: PGlite is one process.
   */
  presence?(): Promise<number | undefined>;
  close(): Promise<void>;
}
