export * from './clock';
export * from './backoff';
