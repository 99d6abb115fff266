/**
 * @app/auth: who is calling (bearer JWT → {@link Principal}) and what they may do
 * (the role × action matrix, R1–R3). See docs/auth.md.
 */
export * from './access-matrix';
export * from './access.policy';
export * from './auth.constants';
export * from './auth.decorators';
export * from './auth.errors';
export * from './auth.guard';
export * from './auth.metadata';
export * from './auth.module';
export * from './auth.tokens';
export * from './consumer-domains';
export * from './local-secret';
export * from './local-token';
export * from './principal';
export * from './requires-action.guard';
export * from './token-verifier';
