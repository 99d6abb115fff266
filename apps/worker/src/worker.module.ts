import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@app/config';
import { CLOCK, systemClock, type Clock } from '@app/clock';
import { EventStoreModule } from '@app/event-store';
import type { Logger } from '@app/observability';
import { WORKER_LOGGER } from './worker.tokens';
import { WorkerFeaturesModule } from '@app/workers';

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
