/**
 * The little of SQL that the store, projections and checkpoints need, over either a
 * `pg` pool (PostgreSQL server) or PGlite (embedded). Both speak the same SQL, so one
 * schema and one migration set serve both.
 */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}

export interface SqlDatabase extends SqlQueryable {
  readonly kind: 'postgres' | 'pglite';
  /** runs `fn` in one transaction on one connection; rolls back if it throws */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** runs several statements (no parameters), e.g. a migration file */
  exec(sql: string): Promise<void>;
  /** LISTEN on a channel; resolves to an unlisten function */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
