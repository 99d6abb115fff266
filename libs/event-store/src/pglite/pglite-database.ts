import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlTransaction } from '../sql-database.port';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { pgliteTemplate, releaseInMemoryPglite, takeRecycledPglite } from './pglite-template';

/**
 * The contrib extensions PGlite loads, so that `CREATE EXTENSION` finds their files as it
 * does on a PostgreSQL server with the contrib package: `unaccent`, for the accent-insensitive
 * search of the help-centre articles (libs/read-models help-articles). A loaded extension
 * costs nothing until a database creates it. Required through the package's `./contrib/*`
 * export; the type is read from the file it points at, as this repository's
 * `moduleResolution` does not follow package exports.
 */
const { unaccent } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@electric-sql/pglite/contrib/unaccent') as typeof import('@electric-sql/pglite/dist/contrib/unaccent');
const EXTENSIONS = { unaccent };

/**
 * {@link SqlDatabase} over PGlite: PostgreSQL compiled to WASM, in-process, one connection.
 *
 * One connection means one session: if two callers' statements were interleaved, one
 * caller's statements would run inside the other's BEGIN … COMMIT. So every query, exec and
 * transaction goes through one FIFO queue here, whatever PGlite's own locking does.
 */
export class PgliteDatabase implements SqlDatabase {
  readonly kind = 'pglite' as const;
  private tail: Promise<unknown> = Promise.resolve();
  private closing?: Promise<void>;
  /** channels listened to, so that a recycled in-memory database keeps no listener of ours */
  private readonly channels = new Set<string>();

  private constructor(
    private readonly pg: PGlite,
    private readonly inMemory: boolean,
    private readonly lock?: DataDirLock,
  ) {}

  /**
   * Opens PGlite in `dataDir` (created if missing), or in memory when none is given. A new
   * database starts from the template set by `usePgliteTemplate`, if any. A data directory
   * is this process's until `close()`: while it is open, another open of it (in this
   * process or another) fails with `DataDirInUse` naming the holder (data-dir-lock.ts).
   */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    const recycled = dataDir ? undefined : takeRecycledPglite();
    if (recycled) return new PgliteDatabase(recycled, true);
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const lock = dataDir ? await lockDataDir(dataDir) : undefined;
    try {
      const isNew = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
      const template = isNew ? pgliteTemplate() : undefined;
      if (dataDir && template?.directory) await cp(template.directory, dataDir, { recursive: true });
      const loadDataDir = dataDir && template?.directory ? undefined : await template?.tarball();
      const pg = await PGlite.create({ dataDir, extensions: EXTENSIONS, ...(loadDataDir ? { loadDataDir } : {}) });
      return new PgliteDatabase(pg, !dataDir, lock);
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }> {
    return this.serialised(async () => ({ rows: (await this.pg.query<R>(sql, params as unknown[] | undefined)).rows }));
  }

  exec(sql: string): Promise<void> {
    return this.serialised(async () => {
      await this.pg.exec(sql);
    });
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.serialised(() => this.pg.transaction((tx) => fn(transactionOn(tx))));
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.serialised(async () => {
      const unlisten = await this.pg.listen(channel, onNotify);
      this.channels.add(channel);
      return () => this.serialised(() => unlisten());
    });
  }

  async notify(channel: string, payload = ''): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  close(): Promise<void> {
    // queued work finishes first; later calls fail ("PGlite is closed")
    // the lock goes last: until PGlite has written its last page, the directory is ours
    this.closing ??= this.serialised(
      () => (this.inMemory ? releaseInMemoryPglite(this.pg, this.channels) : this.pg.close()),
      true,
    ).finally(() => this.lock?.release());
    return this.closing;
  }

  private serialised<T>(work: () => Promise<T>, closing = false): Promise<T> {
    if (this.closing && !closing) return Promise.reject(new Error('PGlite is closed'));
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

const transactionOn = (tx: Transaction): SqlTransaction => ({
  async query<R>(sql: string, params?: readonly unknown[]) {
    return { rows: (await tx.query<R>(sql, params as unknown[] | undefined)).rows };
  },
  async exec(sql: string) {
    await tx.exec(sql);
  },
});
