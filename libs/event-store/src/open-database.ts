import { PgDatabase } from './postgres/pg-database';
import { PgliteDatabase } from './pglite/pglite-database';
import type { SqlDatabase } from './sql-database.port';

export interface OpenDatabaseOptions {
  /** PostgreSQL server; when absent, PGlite is used */
  readonly databaseUrl?: string;
  /** PGlite data directory (created if missing); in memory when absent too */
  readonly dataDir?: string;
  /** PostgreSQL pool size; default 10 */
  readonly poolSize?: number;
  /** PostgreSQL `idle_in_transaction_session_timeout` of pooled connections (PgDatabase; default 60 s, 0: the server's) */
  readonly idleInTransactionTimeoutMs?: number;
  /** errors that belong to no caller (a dropped idle connection, a failed reconnect) */
  readonly onError?: (error: Error) => void;
}

/** PostgreSQL when a URL is given, else PGlite in `dataDir`, else PGlite in memory. */
export const openDatabase = async ({
  databaseUrl,
  dataDir,
  poolSize,
  idleInTransactionTimeoutMs,
  onError,
}: OpenDatabaseOptions): Promise<SqlDatabase> =>
  databaseUrl
    ? new PgDatabase({ connectionString: databaseUrl, poolSize, idleInTransactionTimeoutMs, onError })
    : PgliteDatabase.open(dataDir);
