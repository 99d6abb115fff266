export * from './worker-features.module';
