import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { METRICS, type Logger, type Metrics } from '@app/observability';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { refreshProjectionGauges } from '@app/workers';
import { WORKER_LOGGER } from '../worker.tokens';

/**
 * The projection gauges of the worker's /metrics, the API's names and labels
 * (`projection_lag_events`, `projection_lag_seconds`, `projection_parked_events`, by
 * projection): read from the database on each scrape, as the relay's and the timers'
 * gauges are. A failed read is logged and leaves the last values; the scrape still answers.
 */
@Injectable()
export class WorkerProjectionMetrics implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stop?: () => void;

  constructor(
    @Inject(PROJECTIONS) private readonly registry: ProjectionRegistry,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stop ??= this.metrics.onScrape(() =>
      refreshProjectionGauges(this.registry, this.metrics).catch((error: unknown) => {
        this.logger.warn({ err: error }, `projection metrics: ${(error as Error).message}`);
        throw error;
      }),
    );
  }

  beforeApplicationShutdown(): void {
    this.stop?.();
    this.stop = undefined;
  }
}
