export * from './worker-features.module';
export * from './projections';
