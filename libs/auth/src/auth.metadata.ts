import type { Principal } from './principal';

/** metadata key of `@Public()` */
export const IS_PUBLIC = Symbol('auth:is-public');
/** metadata key of `@RequiresAction()` */
export const REQUIRED_ACTION = Symbol('auth:required-action');

/** The request property the `AuthGuard` sets (on the Fastify request). */
export const PRINCIPAL_KEY = 'principal';

/** A request as the guards see it: Fastify's (or Express's) request object. */
export interface RequestWithPrincipal {
  headers: Record<string, string | string[] | undefined>;
  [PRINCIPAL_KEY]?: Principal;
}
