import type { Metrics } from '@app/observability';
import type { ProjectionLag, ProjectionRegistry, ProjectionRunner } from '@app/projections';

/** One projection's lag and parked count, as the gauges were just set. */
export interface ProjectionGaugeReading {
  readonly runner: ProjectionRunner;
  readonly lag: ProjectionLag;
  readonly parkedEvents: number;
}

/**
 * Reads every projection's lag and parked count from the database (checkpoint vs the log,
 * so whichever process runs the runners) and sets the projection gauges of /metrics:
 * `projection_lag_events`, `projection_lag_seconds`, `projection_parked_events`, labelled
 * by projection. The API's /metrics and the worker's both call it on each scrape.
 */
export const refreshProjectionGauges = (
  registry: ProjectionRegistry,
  metrics: Metrics,
): Promise<ProjectionGaugeReading[]> =>
  Promise.all(
    registry.all().map(async (runner): Promise<ProjectionGaugeReading> => {
      const [lag, parked] = await Promise.all([runner.lag(), runner.parked()]);
      const labels = { projection: runner.name };
      metrics.projectionLagEvents.set(labels, lag.events);
      metrics.projectionLagSeconds.set(labels, lag.seconds);
      metrics.projectionParked.set(labels, parked.events);
      return { runner, lag, parkedEvents: parked.events };
    }),
  );
