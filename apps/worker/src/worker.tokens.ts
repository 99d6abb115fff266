export const WORKER_LOGGER = Symbol('WORKER_LOGGER');
/** the validated {@link WorkerConfig} (worker.config.ts) */
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
