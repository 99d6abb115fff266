import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@app/clock';
import type { AppConfig } from '@app/config';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { METRICS, type Metrics } from '@app/observability';
import { IntakeSweep } from './intake-sweep';

const INTAKE_SWEEP_POLL_MS = Symbol('INTAKE_SWEEP_POLL_MS');
/**
 * The sweep's due times are 30 s and INTAKE_ABANDON_AFTER away: polling faster than a second
 * (a SCHEDULER_POLL of 10 ms in tests) would only add queries to the timers' own.
 */
const MIN_POLL_MS = 1_000;

/** Starts the sweep's loop once the application is up; stops it before the store closes. */
@Injectable()
class IntakeSweepLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(IntakeSweep) private readonly sweep: IntakeSweep,
    @Inject(INTAKE_SWEEP_POLL_MS) private readonly pollMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep.start(this.pollMs);
  }

  // before, not on, application shutdown: the database closes in onApplicationShutdown
  async beforeApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
  }
}

/**
 * The help assistant's intake sweep (R5–R8) as a worker feature: `apps/worker` runs it in
 * server mode, the API in-process in embedded mode (WorkerFeaturesModule), every
 * SCHEDULER_POLL but at most once a second. Needs the store, the `intakes` read model and the command door; keeps the
 * `intake_sweep_*` metrics when the app provides `METRICS`.
 */
@Module({})
export class IntakeSweepModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger = new Logger('IntakeSweep');
    return {
      module: IntakeSweepModule,
      providers: [
        { provide: INTAKE_SWEEP_POLL_MS, useValue: Math.max(config.timers.schedulerPollMs, MIN_POLL_MS) },
        {
          provide: IntakeSweep,
          inject: [CommandBus, EVENT_STORE, SQL_DATABASE, CLOCK, { token: METRICS, optional: true }],
          useFactory: (
            commands: CommandBus,
            store: EventStore,
            db: SqlDatabase,
            clock: Clock,
            metrics: Metrics | undefined,
          ) =>
            new IntakeSweep({
              commands,
              store,
              db,
              clock,
              abandonAfterMs: config.intakes.abandonAfterMs,
              metrics,
              onError: (error, context) =>
                logger.warn(`${context}: ${error instanceof Error ? error.message : String(error)}`),
              onSwept: ({ abandoned, casesOpened }) => {
                if (abandoned.length > 0) logger.log(`abandoned ${abandoned.length} idle intake(s)`);
                if (casesOpened.length > 0)
                  logger.log(`opened the case of ${casesOpened.length} intake(s) whose request had none`);
              },
            }),
        },
        IntakeSweepLifecycle,
      ],
      exports: [IntakeSweep],
    };
  }
}
