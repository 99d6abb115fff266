export * from './logger';
export * from './metrics';
export * from './prometheus-text';
