/**
 * @app/projections: the runner of read models fed from the global log (docs/architecture.md).
 * A projection is a name, a version, its tables' DDL and one idempotent `applyBatch`; a runner
 * applies the log to it in batches, committing rows and checkpoint together, parks what it
 * cannot apply, rebuilds into fresh tables and swaps. docs/projections.md explains how and
 * why. The read models themselves are in @app/read-models.
 */
export {
  checkpointNameOf,
  rebuildCheckpointNameOf,
  physicalTableOf,
  assertValidProjection,
  type Projection,
  type ProjectionTables,
} from './projection';
export * from './projection.errors';
export { PROJECTIONS_MIGRATIONS, PROJECTIONS_COMPONENT } from './projections.migrations';
export { ProjectionRunner } from './projection.runner';
export type { ProjectionRunnerOptions, RunnerStatus, RunnerStats, ProjectionLag } from './projection-runner.types';
export type { RebuildOptions, RebuildProgress, RebuildResult } from './projection-rebuild';
export type { ParkedCounts, ParkedEvent, RetryParkedResult } from './parked-events';
export type { BackoffPolicy } from '@app/clock';
export { ProjectionRegistry } from './projection.registry';
/** the version of a projection's active generation (what its views show) */
export { activeVersionOf } from './active-version';
/** a global position's place in the log (what `?after=` and the live stream's `Last-Event-ID` name) */
export { checkpointOfPosition } from './log-position';
export { PROJECTIONS } from './projections.tokens';
export {
  ProjectionsModule,
  type ProjectionsModuleOptions,
  type ProjectionsModuleAsyncOptions,
} from './projections.module';
