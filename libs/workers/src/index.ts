export * from './worker-features.module';
export * from './projections';
export { ReRouter, type ReRouteResult } from './rerouting/re-router';
export { ReRouterModule } from './rerouting/re-router.module';
export {
  CASE_OPENING_GRACE_MS,
  INTAKE_SWEEPER,
  IntakeCaseMismatch,
  IntakeSweep,
  type IntakeSweepOptions,
  type IntakeSweepResult,
} from './intakes/intake-sweep';
export { IntakeSweepModule } from './intakes/intake-sweep.module';
export { refreshProjectionGauges, type ProjectionGaugeReading } from './projection-gauges';
