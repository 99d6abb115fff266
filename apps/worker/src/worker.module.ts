import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, type AppConfig } from '@app/config';
import { CLOCK, systemClock, type Clock } from '@app/clock';
import { EventStoreModule } from '@app/event-store';
import { METRICS, Metrics, type Logger } from '@app/observability';
import { WORKER_CONFIG, WORKER_LOGGER } from './worker.tokens';
import { ProjectionsModule } from '@app/projections';
import { allProjections, WorkerFeaturesModule } from '@app/workers';
import { SlaService } from '@app/sla';
import { CommandsModule } from '@app/commands';
import { WorkerMetricsServer } from './metrics/worker-metrics.server';
import { WorkerProjectionMetrics } from './metrics/worker-projection-metrics';
import { loadWorkerConfig, type WorkerConfig } from './worker.config';

export interface WorkerModuleOptions {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** the worker's own settings; default: read from the environment (WORKER_METRICS_PORT) */
  readonly worker?: WorkerConfig;
  /** default: a registry of its own, `service="worker"` */
  readonly metrics?: Metrics;
}

/**
 * The worker process: the store, the clock and the background features, and GET /metrics
 * (WorkerMetricsServer); no API. The features keep their metrics in `METRICS`.
 */
@Module({})
export class WorkerModule {
  static forRoot({ config, logger, clock = systemClock, worker, metrics }: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        AppConfigModule.forRoot(config),
        EventStoreModule.forRootAsync({
          useFactory: () => ({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }),
        }),
        ProjectionsModule.forRootAsync({
          // the report projection measures business time with the calendars (SlaModule, via the timers)
          inject: [SlaService],
          useFactory: (sla: SlaService) => ({ projections: allProjections(sla) }),
        }),
        // the timers and the re-router write through the same command door as the API
        CommandsModule.forRoot({ surveyDelayMs: config.timers.surveyDelayMs }),
        WorkerFeaturesModule.forRoot(config),
      ],
      providers: [
        { provide: WORKER_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        { provide: WORKER_CONFIG, useValue: worker ?? loadWorkerConfig(config) },
        { provide: METRICS, useValue: metrics ?? new Metrics({ service: 'worker' }) },
        WorkerProjectionMetrics,
        WorkerMetricsServer,
      ],
      exports: [WORKER_LOGGER, CLOCK, METRICS],
    };
  }
}
