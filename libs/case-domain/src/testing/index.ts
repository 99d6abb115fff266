/**
 * @app/case-domain/testing: the one kit that builds case histories for tests and benches.
 * Pure, as the domain is (no Nest, no I/O): it makes events and histories; appending them to
 * a store is @app/testing's `appendHistory`.
 */
export * from './seeded-random';
export * from './desk-history';
export * from './case-builders';
export * from './recorded-events';
export * from './full-lifecycle';
