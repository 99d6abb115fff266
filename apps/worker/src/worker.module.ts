import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@app/config';
import { CLOCK, systemClock, type Clock } from '@app/clock';
import { EventStoreModule } from '@app/event-store';
import type { Logger } from '@app/observability';
import { WORKER_LOGGER } from './worker.tokens';
import { ProjectionsModule } from '@app/projections';
import { allProjections, WorkerFeaturesModule } from '@app/workers';
import { SlaService } from '@app/timers';

export interface WorkerModuleOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
}

/** The worker process: the store, the clock and the background features; no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot({ config, logger, clock = systemClock }: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        AppConfigModule.forRoot(config),
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }) }),
        ProjectionsModule.forRootAsync({
          // the report projection measures business time with the calendars (SlaModule, via the timers)
          inject: [SlaService],
          useFactory: (sla: SlaService) => ({ projections: allProjections(sla) }),
        }),
        WorkerFeaturesModule.forRoot(config),
      ],
      providers: [
        { provide: WORKER_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [WORKER_LOGGER, CLOCK],
    };
  }
}
