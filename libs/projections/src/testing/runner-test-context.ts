import { createEventStore, type EventStore, type SqlDatabase } from '@app/event-store';
import { createTestDatabase } from '@app/testing';
import type { Projection } from '../projection';
import { ProjectionRunner } from '../projection.runner';
import type { ProjectionRunnerOptions } from '../projection-runner.types';

/** What the runners of a test need of its database, and how to close it. */
export interface RunnerTestDatabase {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  close(): Promise<void>;
}

/** A store on a database of its own on the PostgreSQL server at `serverUrl`, dropped by `close()`. */
export const postgresRunnerDatabase = async (serverUrl: string, poolSize: number): Promise<RunnerTestDatabase> => {
  const database = await createTestDatabase(serverUrl);
  const { store, db } = await createEventStore({ databaseUrl: database.url, poolSize });
  return {
    store,
    db,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
};

export interface RunnerTestContext<D extends RunnerTestDatabase> {
  /** this test's database: a fresh one for each test */
  readonly database: D;
  /** this test's store and database (`database.store`, `database.db`) */
  readonly store: EventStore;
  readonly db: SqlDatabase;
  /** what this test's runners reported through `onError` */
  readonly errors: Error[];
  /** the runners this test made, in order */
  readonly runners: readonly ProjectionRunner[];
  /** A runner on this test's database (unless `options` name another), reporting to `errors`, stopped after the test. */
  runner(projection: Projection, options?: Partial<ProjectionRunnerOptions>): ProjectionRunner;
}

export interface RunnerTestContextOptions {
  /** runs first after each test, before its runners are stopped (e.g. opens the test's gates) */
  readonly beforeStop?: () => void;
}

/**
 * The scaffolding of a suite of runner tests, set up in the `describe` it is called in:
 * before each test a fresh database from `createDatabase`; after it, the runners the test
 * made are stopped and the database is closed.
 */
export const runnerTestContext = <D extends RunnerTestDatabase>(
  createDatabase: () => Promise<D>,
  { beforeStop }: RunnerTestContextOptions = {},
): RunnerTestContext<D> => {
  let current: D | undefined;
  const runners: ProjectionRunner[] = [];
  const errors: Error[] = [];
  const database = (): D => {
    if (!current) throw new Error('runnerTestContext: no database outside a test');
    return current;
  };

  beforeEach(async () => {
    errors.length = 0;
    current = await createDatabase();
  });
  afterEach(async () => {
    beforeStop?.();
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await database().close();
  });

  return {
    get database() {
      return database();
    },
    get store() {
      return database().store;
    },
    get db() {
      return database().db;
    },
    errors,
    runners,
    runner: (projection, options = {}) => {
      const made = new ProjectionRunner(projection, {
        store: database().store,
        db: database().db,
        onError: (e) => errors.push(e),
        ...options,
      });
      runners.push(made);
      return made;
    },
  };
};
