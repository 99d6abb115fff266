import { Pool, type PoolClient, type QueryConfig } from 'pg';
import type { SqlDatabase, SqlQueryOptions, SqlTransaction } from '../sql-database.port';
import { PgNotifications } from './pg-notifications';

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /** pooled connections; default 10 */
  readonly poolSize?: number;
  /** errors that belong to no caller (an idle connection dropped, a reconnect failed); default: a process warning */
  readonly onError?: (error: Error) => void;
}

/** The default for errors nobody awaits: visible, never fatal. */
const warn = (error: Error) =>
  process.emitWarning(`event store: ${error.message}`, { code: 'EVENT_STORE', detail: error.stack });

/** {@link SqlDatabase} over a `pg` pool, with LISTEN/NOTIFY on a dedicated, reconnecting connection. */
export class PgDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly notifications: PgNotifications;
  private closing?: Promise<void>;

  constructor(options: PgDatabaseOptions) {
    const onError = options.onError ?? warn;
    this.pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    // an idle pooled connection that dies emits 'error' on the pool: unhandled, it would end the process
    this.pool.on('error', onError);
    this.notifications = new PgNotifications({ connectionString: options.connectionString, onError });
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<{ rows: R[] }> {
    const result = await this.pool.query(statement(sql, params, options));
    return { rows: result.rows as R[] };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(transactionOn(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      // a connection whose ROLLBACK failed is in an unknown state: destroy it, do not pool it
      client.release(broken);
    }
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.notifications.listen(channel, onNotify);
  }

  notify(channel: string, payload = ''): Promise<void> {
    return this.notifications.notify(channel, payload);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.notifications.close();
      await this.pool.end();
    })();
    return this.closing;
  }
}

const statement = (text: string, params?: readonly unknown[], options?: SqlQueryOptions): QueryConfig => ({
  text,
  values: params as unknown[] | undefined,
  ...(options?.name ? { name: options.name } : {}),
});

const transactionOn = (client: PoolClient): SqlTransaction => ({
  async query<R>(sql: string, params?: readonly unknown[], options?: SqlQueryOptions) {
    const result = await client.query(statement(sql, params, options));
    return { rows: result.rows as R[] };
  },
  async exec(sql: string) {
    await client.query(sql);
  },
});
