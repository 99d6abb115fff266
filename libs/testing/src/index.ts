export * from './services';
export * from './decider-spec';
export * from './postgres';
export * from './wait-for';
export * from './gates';
export * from './seeded-random';
export * from './free-port';
export * from './desk-people';
