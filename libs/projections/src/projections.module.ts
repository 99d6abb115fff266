import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { CLOCK, type Clock } from '@app/clock';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import type { Projection } from './projection';
import { ProjectionRegistry } from './projection.registry';
import { ProjectionRunner } from './projection.runner';
import type { ProjectionRunnerOptions } from './projection-runner.types';
import { PROJECTIONS } from './projections.tokens';

export interface ProjectionsModuleOptions {
  readonly projections: readonly Projection[];
  /**
   * Start the runners when the application has bootstrapped: the embedded default, where
   * the API process hosts them. False where a worker process runs them instead (the
   * registry is still there, for queries such as waitForPosition, lag and parked counts).
   * Default true.
   */
  readonly autoStart?: boolean;
  /** default: EventStoreModule's EVENT_STORE */
  readonly store?: EventStore;
  /** default: EventStoreModule's SQL_DATABASE */
  readonly db?: SqlDatabase;
  /** default: CLOCK if a module in `imports` (or a global one) provides it, else the system clock */
  readonly clock?: Clock;
  /** batch size, retry, lease, polling, error reporting */
  readonly runner?: Omit<ProjectionRunnerOptions, 'store' | 'db' | 'clock'>;
}

export interface ProjectionsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  readonly useFactory: (...args: never[]) => ProjectionsModuleOptions | Promise<ProjectionsModuleOptions>;
  /** register PROJECTIONS in every module; default true (one set of runners per process) */
  readonly global?: boolean;
}

const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

/** Starts the runners on bootstrap; stops them before shutdown hooks close the store. */
@Injectable()
class ProjectionsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(PROJECTIONS) private readonly registry: ProjectionRegistry,
    @Inject(PROJECTIONS_OPTIONS) private readonly options: ProjectionsModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.autoStart ?? true) await this.registry.startAll();
  }

  // before, not on, application shutdown: EventStoreModule closes the database in its
  // onApplicationShutdown, and a batch in flight must commit first
  async beforeApplicationShutdown(): Promise<void> {
    await this.registry.stopAll();
  }
}

/**
 * Provides {@link PROJECTIONS} (a {@link ProjectionRegistry}) with one runner per
 * projection, over the EventStoreModule's store and database unless others are given.
 */
@Module({})
export class ProjectionsModule {
  static forRootAsync({
    imports = [],
    inject = [],
    useFactory,
    global = true,
  }: ProjectionsModuleAsyncOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      global,
      imports,
      providers: [
        { provide: PROJECTIONS_OPTIONS, inject, useFactory },
        {
          provide: PROJECTIONS,
          inject: [
            PROJECTIONS_OPTIONS,
            { token: EVENT_STORE, optional: true },
            { token: SQL_DATABASE, optional: true },
            { token: CLOCK, optional: true },
          ],
          useFactory: (options: ProjectionsModuleOptions, store?: EventStore, db?: SqlDatabase, clock?: Clock) => {
            const runnerStore = options.store ?? store;
            const runnerDb = options.db ?? db;
            if (!runnerStore || !runnerDb)
              throw new Error(
                'ProjectionsModule needs an event store and its database: import EventStoreModule or pass store and db',
              );
            const shared = { ...options.runner, store: runnerStore, db: runnerDb, clock: options.clock ?? clock };
            return new ProjectionRegistry(
              options.projections.map((projection) => new ProjectionRunner(projection, shared)),
            );
          },
        },
        ProjectionsLifecycle,
      ],
      exports: [PROJECTIONS],
    };
  }
}
