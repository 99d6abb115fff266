import { createHash } from 'node:crypto';
import type { SqlDatabase } from '../sql-database.port';
import type { Migration } from './migration';

export interface MigrateOptions {
  /** whose migrations these are: each component numbers its own from 1 */
  readonly component: string;
  readonly migrations: readonly Migration[];
}

/** Any constant will do, as long as every migrator uses the same one. */
const MIGRATION_LOCK_KEY = 7_220_145_001;

const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex');

/**
 * Applies the component's pending migrations in version order, in one transaction, and
 * records each in `schema_migrations`. Running it again is a no-op.
 *
 * Why the advisory lock: two processes starting at once would both see a migration as
 * pending, and even `CREATE TABLE IF NOT EXISTS` fails when two sessions run it together.
 * The transaction-scoped lock makes the second wait until the first commits; it then reads
 * the committed `schema_migrations` (a new statement snapshot) and finds nothing to do.
 *
 * Resolves to the versions applied now.
 */
export const migrate = async (db: SqlDatabase, { component, migrations }: MigrateOptions): Promise<number[]> => {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || m.version === ordered[i - 1]?.version)
      throw new Error(`Migration versions of ${component} must be distinct positive integers (got ${m.version})`);
  });
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations WHERE component = $1',
      [component],
    );
    const applied = new Map(rows.map((r) => [Number(r.version), r.checksum]));
    const done: number[] = [];
    for (const migration of ordered) {
      const sum = checksum(migration.sql);
      const stored = applied.get(migration.version);
      if (stored !== undefined) {
        if (stored !== sum)
          throw new Error(
            `Migration ${component} ${migration.version} (${migration.name}) changed after it was applied`,
          );
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)', [
        component,
        migration.version,
        migration.name,
        sum,
      ]);
      done.push(migration.version);
    }
    return done;
  });
};

/** The highest applied version of a component's migrations, 0 when none (or no table yet). */
export const appliedMigrationVersion = async (db: SqlDatabase, component: string): Promise<number> => {
  try {
    const { rows } = await db.query<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_migrations WHERE component = $1',
      [component],
    );
    return Number(rows[0]?.version ?? 0);
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return 0;
    throw error;
  }
};

const UNDEFINED_TABLE = '42P01';
