import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Action } from './access-matrix';
import type { AccessPolicy } from './access.policy';
import { PRINCIPAL_KEY, REQUIRED_ACTION, type RequestWithPrincipal } from './auth.metadata';
import { Unauthenticated } from './auth.errors';
import { ACCESS_POLICY } from './auth.tokens';

/** Applied by `@RequiresAction(action)`; runs after the global {@link AuthGuard}. */
@Injectable()
export class RequiresActionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const action = this.reflector.getAllAndOverride<Action | undefined>(REQUIRED_ACTION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!action) return true;
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_KEY];
    // an action on a @Public() route cannot be checked: refuse rather than let it through
    if (!principal) throw new Unauthenticated('missing-token', 'Sign in: this request needs a bearer token.');
    this.policy.authorize(principal, action);
    return true;
  }
}
