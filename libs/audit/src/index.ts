/**
 * @app/audit: tamper evidence and point-in-time replay over the event store (docs/audit.md).
 * Hash-chain verification and checkpoints of all chains; a case, a queue or a report as it
 * stood at a moment; the global log, paged and exported; the record of who read audit history.
 * Plain functions over `EventStore` and `SqlDatabase`; apps wire them (HTTP, casectl).
 */
export * from './audit.errors';
export * from './audit-access';
export * from './audit-checkpoint';
export * from './audit-log.reader';
export * from './case-history';
export * from './chain-verifier';
export * from './queue-as-of';
export * from './report-as-of';
