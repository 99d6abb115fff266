import type { PGlite } from '@electric-sql/pglite';

/**
 * Making PGlite cheap to open many times, for test runs (see `test/pglite-template.setup.ts`).
 *
 * Most of a fresh PGlite's start is initdb and PostgreSQL's own boot, run in WASM: seconds
 * on a busy 2-core machine, and a test run opens hundreds. Two remedies, both off unless a
 * test run turns them on; a process that opens one store needs neither:
 * - a template: the data directory of a freshly initialised PGlite, dumped once as a tarball
 *   (`PGlite.dumpDataDir`); a database opened from it, in memory or on an empty data
 *   directory, skips initdb. Given the same data directory unpacked on disk too, a new data
 *   directory is a native copy of it (`fs.cp`), about twice as fast as PGlite unpacking the
 *   tarball through its WASM file system;
 * - recycling: an in-memory database, once closed, is wiped back to a new database's state
 *   (every schema dropped, the session discarded) and handed to the next in-memory open of
 *   the same test file, which then skips the boot too.
 */

/** A bare PGlite data directory: as a tarball (for in-memory databases), and unpacked (for new data directories) */
export interface PgliteTemplate {
  /**
   * the tarball, asked for only when a database is opened in memory: a test file that opens
   * none pays nothing (a file-backed Blob, `fs.openAsBlob`, costs nothing to make either)
   */
  readonly tarball: () => Blob | Promise<Blob>;
  /** the tarball's content unpacked, read-only: copied into a new data directory */
  readonly directory?: string;
}

let template: PgliteTemplate | undefined;
let recycling = false;
const idle: PGlite[] = [];
/** in-memory databases kept for reuse at most (each holds a few dozen MB) */
const MAX_IDLE = 4;

/** Makes every later {@link PgliteDatabase.open} of a new database start from `next` (none: initdb). */
export const usePgliteTemplate = (next: PgliteTemplate | undefined): void => {
  template = next;
};

export const pgliteTemplate = (): PgliteTemplate | undefined => template;

/** Turns recycling of closed in-memory databases on or off (off closes those kept). */
export const recycleInMemoryPglite = async (on: boolean): Promise<void> => {
  recycling = on;
  if (!on) await Promise.all(idle.splice(0).map((pg) => pg.close()));
};

/** A wiped in-memory database to reuse, if one is kept. */
export const takeRecycledPglite = (): PGlite | undefined => idle.pop();

// a new database's state: nothing but the system schemas and an empty `public`
const DROP_SCHEMAS = `DO $$
DECLARE s name;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $$;
CREATE SCHEMA public;`;

/**
 * Ends the use of an in-memory database: wiped and kept for the next open when recycling is
 * on (its listeners on `channels` removed, any transaction rolled back, the session
 * discarded: prepared statements, settings, advisory locks, temporary tables), else closed.
 */
export const releaseInMemoryPglite = async (pg: PGlite, channels: Iterable<string>): Promise<void> => {
  if (!recycling || idle.length >= MAX_IDLE) return pg.close();
  try {
    for (const channel of channels) await pg.unlisten(channel);
    if (pg.isInTransaction()) await pg.exec('ROLLBACK');
    await pg.exec('DISCARD ALL');
    await pg.exec(DROP_SCHEMAS);
    idle.push(pg);
  } catch {
    await pg.close().catch(() => undefined);
  }
};
