export * from './services';
export * from './decider-spec';
export * from './postgres';
export * from './wait-for';
export * from './gates';
export * from './append-history';
export * from './free-port';
export * from './desk-people';
