import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import type { Action } from './access-matrix';
import { Unauthenticated } from './auth.errors';
import { IS_PUBLIC, PRINCIPAL_KEY, REQUIRED_ACTION, type RequestWithPrincipal } from './auth.metadata';
import type { Principal } from './principal';
import { RequiresActionGuard } from './requires-action.guard';

/** The route (or every route of the controller) needs no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * The route needs the principal to be allowed `action` (role matrix, R1, R2, read-only
 * auditors); refused with the policy's 403. Tenancy (R3) stays with the handler, which
 * knows the case: use `canSeeCase` there and answer 404.
 */
export const RequiresAction = (action: Action): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ACTION, action), UseGuards(RequiresActionGuard));

/** The authenticated principal; throws {@link Unauthenticated} on a route without one (a `@Public()` route). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_KEY];
  if (!principal) throw new Unauthenticated('missing-token', 'Sign in: this request needs a bearer token.');
  return principal;
});
