export * from './worker-features.module';
export * from './projections';
export { ReRouter, type ReRouteResult } from './rerouting/re-router';
export { ReRouterModule } from './rerouting/re-router.module';
export { refreshProjectionGauges, type ProjectionGaugeReading } from './projection-gauges';
