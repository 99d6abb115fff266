import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { METRICS, type Metrics } from '@app/observability';
import { PROJECTIONS, type ProjectionRegistry, type RunnerStatus } from '@app/projections';
import { refreshProjectionGauges } from '@app/workers';

/** What /health/ready says of one projection. */
export interface ProjectionHealth {
  readonly name: string;
  /** this process's runner: `stopped` where another process (the worker) runs it */
  readonly runner: RunnerStatus;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly parkedEvents: number;
}

/** how often the gauges are brought up to date between scrapes */
export const PROJECTION_METRICS_INTERVAL_MS = 5_000;

/**
 * Keeps the projection gauges of /metrics current (`projection_lag_events`,
 * `projection_lag_seconds`, `projection_parked_events`, labelled by projection): every
 * {@link PROJECTION_METRICS_INTERVAL_MS}, and on each scrape and readiness check. Lag is
 * read from the database (checkpoint vs the log), so the API reports it whether the
 * runners run in it or in the worker (whose /metrics shows the same gauges).
 */
@Injectable()
export class ProjectionMetrics implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProjectionMetrics');
  private timer?: NodeJS.Timeout;
  private reading?: Promise<ProjectionHealth[]>;

  constructor(
    @Inject(PROJECTIONS) private readonly registry: ProjectionRegistry,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.logger.warn(`projection metrics: ${(e as Error).message}`));
    }, PROJECTION_METRICS_INTERVAL_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Reads every projection's lag and parked count, sets the gauges, and returns them. One
   * reading at a time: callers meanwhile (the timer, scrapes, readiness probes) share it. A
   * lag is a count of the events after the checkpoint, seconds for a read model millions of
   * events behind; without this, probes every few hundred milliseconds piled up such counts
   * until PostgreSQL answered nothing else (seen at a million cases, issue 16).
   */
  refresh(): Promise<ProjectionHealth[]> {
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<ProjectionHealth[]> {
    const readings = await refreshProjectionGauges(this.registry, this.metrics);
    return readings.map(({ runner, lag, parkedEvents }): ProjectionHealth => ({
      name: runner.name,
      runner: runner.status(),
      lagEvents: lag.events,
      lagSeconds: Math.round(lag.seconds * 1000) / 1000,
      parkedEvents,
    }));
  }
}
