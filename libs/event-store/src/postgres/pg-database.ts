import { Pool, type ClientBase, type PoolClient, type QueryConfig } from 'pg';
import { EventStoreError } from '../event-store.errors';
import type { SqlDatabase, SqlQueryOptions, SqlTransaction } from '../sql-database.port';
import { PgNotifications } from './pg-notifications';

/**
 * Default of {@link PgDatabaseOptions.idleInTransactionTimeoutMs}: a minute.
 *
 * Why a timeout at all: readers of the global log wait for every transaction that holds a
 * transaction id, on the whole server (`pg_snapshot_xmin`, libs/event-store/README.md). A
 * connection left "idle in transaction" (a caller awaiting something that never comes, a
 * process stuck or paused with a batch half written, a test that failed before opening its
 * gate) stalls every follower, projection and relay on the server for as long as it lives,
 * and nothing on the client side notices. With the timeout, the server ends such a session
 * itself and rolls its transaction back; the caller gets {@link TransactionConnectionLost}.
 *
 * Why a minute: our transactions only wait for the database between their statements (a
 * few milliseconds; nothing awaits the network, a broker or a user inside one), so no
 * healthy transaction comes near it, while a stuck one stalls the log for at most a minute
 * rather than forever. It limits the idle time between statements, never a statement's own
 * run time: a long migration or rebuild batch is not affected.
 */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

export interface PgDatabaseOptions {
  readonly connectionString: string;
  /** pooled connections; default 10 */
  readonly poolSize?: number;
  /**
   * `idle_in_transaction_session_timeout` of every pooled connection, in milliseconds:
   * the server ends a session that has sat inside a transaction, waiting for its next
   * statement, this long. Default {@link DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS} (see there
   * why); 0 leaves the server's (or role's, database's) own setting. Sent as a startup
   * parameter; the same parameter in the connection string wins over this option.
   */
  readonly idleInTransactionTimeoutMs?: number;
  /**
   * errors that belong to no caller (an idle connection dropped, a reconnect failed), and a
   * transaction's connection lost (its caller gets the error too); default: a process warning
   */
  readonly onError?: (error: Error) => void;
}

/**
 * The connection of a transaction died before the transaction ended (the server terminated
 * the session, its idle-in-transaction timeout struck, the network dropped): the server has
 * rolled the transaction back, nothing of it is committed, and running it again is safe.
 * `cause` is what `pg` reported.
 */
export class TransactionConnectionLost extends EventStoreError {
  readonly code = 'EVENT_STORE.CONNECTION_LOST';
  readonly retriable = true;

  constructor(override readonly cause: Error) {
    super(`The database connection was lost in the middle of a transaction, which was rolled back: ${cause.message}`);
  }
}

/** How long `close()` waits for the server to see each connection go, after asking. */
const CLOSE_WAIT_MS = 5_000;

/** The default for errors nobody awaits: visible, never fatal. */
const warn = (error: Error) =>
  process.emitWarning(`event store: ${error.message}`, { code: 'EVENT_STORE', detail: error.stack });

/** {@link SqlDatabase} over a `pg` pool, with LISTEN/NOTIFY on a dedicated, reconnecting connection. */
export class PgDatabase implements SqlDatabase {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly notifications: PgNotifications;
  private readonly onError: (error: Error) => void;
  /** every connection the pool opened and that has not ended yet */
  private readonly connections = new Set<ClientBase>();
  private closing?: Promise<void>;

  constructor(options: PgDatabaseOptions) {
    this.onError = options.onError ?? warn;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      // pg sends it only when non-zero: 0 keeps the server's setting
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    });
    // an idle pooled connection that dies emits 'error' on the pool: unhandled, it would end the process
    this.pool.on('error', this.onError);
    this.pool.on('connect', (client) => {
      this.connections.add(client);
      client.once('end', () => this.connections.delete(client));
    });
    this.notifications = new PgNotifications({ connectionString: options.connectionString, onError: this.onError });
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: SqlQueryOptions,
  ): Promise<{ rows: R[] }> {
    // pool.query listens for the client's 'error' itself while it holds the client
    const result = await this.pool.query(statement(sql, params, options));
    return { rows: result.rows as R[] };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  /**
   * A client checked out of the pool is no longer heard by the pool's 'error' listener
   * (that one covers idle clients only), and `pg` emits 'error' on a client whose
   * connection dies: unheard, that would end the process. So the transaction listens for
   * the time it holds the client. A lost connection then:
   * - fails the transaction with {@link TransactionConnectionLost}, at once, even when `fn`
   *   is waiting for something else than the database: the server has rolled it back, and
   *   a caller (a runner's stop, a pool's end) must not wait for `fn` to notice. A caller
   *   in the middle of a statement gets that statement's own error, which says more;
   * - fails every later statement of `fn` with the same error, so that `fn`, which may go
   *   on for a while, can neither reach another caller's connection nor commit anything;
   * - is reported to `onError`;
   * - destroys the client instead of returning it to the pool.
   */
  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    let lost: TransactionConnectionLost | undefined;
    let committing = false;
    let over = false;
    let failWith!: (error: Error) => void;
    const whenLost = new Promise<never>((_, reject) => (failWith = reject));
    whenLost.catch(() => undefined); // only the race below cares, and only while it runs
    const onConnectionError = (error: Error) => {
      // a dying connection emits twice (the server's FATAL message, then the socket's end): the first says more
      if (lost) return;
      lost = new TransactionConnectionLost(error);
      // during COMMIT the caller gets pg's own error, and the outcome is unknown: say so, not "rolled back"
      const message = `The database connection was lost during COMMIT; whether it committed is unknown: ${error.message}`;
      this.onError(committing ? new Error(message, { cause: error }) : lost);
      // after what is already under way (a failing statement's own rejection), so that it wins the race
      const failed = lost;
      setImmediate(() => failWith(failed));
    };
    // the listener goes on in the pool's own callback: the message that ends a connection can
    // follow the one that completed it in the same read from the socket, before an awaited
    // connect() would resume (a connection cut as it opened ended the process that way)
    const client = await new Promise<PoolClient>((resolve, reject) =>
      this.pool.connect((error, connected) => {
        if (error || !connected) return reject(error ?? new Error('The pool gave no connection'));
        connected.on('error', onConnectionError);
        resolve(connected);
      }),
    );
    const usable = (): void => {
      if (lost) throw lost;
      if (over) throw new Error('This transaction is over: its statements must run inside its callback');
    };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await Promise.race([fn(transactionOn(client, usable)), whenLost]);
      if (lost) throw lost;
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!lost && !committing)
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
          // the connection died meanwhile: already reported as lost
          if (!lost) this.onError(new Error(`ROLLBACK failed: ${rollbackError.message}`, { cause: rollbackError }));
        });
      throw error;
    } finally {
      over = true;
      client.removeListener('error', onConnectionError);
      // a lost connection, or one whose ROLLBACK failed, is in an unknown state: destroy it, do not pool it
      client.release(lost ?? broken);
    }
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.notifications.listen(channel, onNotify);
  }

  notify(channel: string, payload = ''): Promise<void> {
    return this.notifications.notify(channel, payload);
  }

  presence(): Promise<number | undefined> {
    return this.notifications.presence();
  }

  /**
   * Ends the listening connection, then the pool, and resolves once the connections are
   * gone. The pool's end waits for every client checked out: a transaction still running
   * delays it until it ends; one whose `fn` waits forever ends when the server's
   * idle-in-transaction timeout ends its session. Then `pool.end()` resolves as soon as it
   * has asked each connection to end, not once they have: a caller that drops the database
   * or checks pg_stat_activity right after would still find them (and a DROP … WITH (FORCE)
   * would terminate them, which `pg` reports as errors). So this waits for each to end too,
   * at most {@link CLOSE_WAIT_MS}: a connection whose peer is gone may never say goodbye.
   * A session the server itself ended (a FATAL message, as after its idle-in-transaction
   * timeout) is not waited for: `pg` destroys that socket at once, and the server's
   * backend may still be leaving pg_stat_activity for a moment after.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.notifications.close();
      await this.pool.end();
      const ended = [...this.connections].map((c) => new Promise<void>((resolve) => c.once('end', () => resolve())));
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS).unref()));
      await Promise.race([Promise.all(ended), givenUp]);
      clearTimeout(timer);
    })();
    return this.closing;
  }
}

const statement = (text: string, params?: readonly unknown[], options?: SqlQueryOptions): QueryConfig => ({
  text,
  values: params as unknown[] | undefined,
  ...(options?.name ? { name: options.name } : {}),
});

const transactionOn = (client: PoolClient, usable: () => void): SqlTransaction => ({
  async query<R>(sql: string, params?: readonly unknown[], options?: SqlQueryOptions) {
    usable();
    const result = await client.query(statement(sql, params, options));
    return { rows: result.rows as R[] };
  },
  async exec(sql: string) {
    usable();
    await client.query(sql);
  },
});
