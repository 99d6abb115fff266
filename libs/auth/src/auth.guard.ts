import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC, PRINCIPAL_KEY, type RequestWithPrincipal } from './auth.metadata';
import { Unauthenticated } from './auth.errors';
import { TOKEN_VERIFIER } from './auth.tokens';
import type { TokenVerifier } from './token-verifier';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The global guard: every route needs a valid bearer token unless marked `@Public()`.
 * Sets the verified principal on the request (`request.principal`). Fails closed: other
 * contexts than HTTP (RPC, WebSocket) are refused unless public.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    if (context.getType() !== 'http') {
      throw new Unauthenticated('missing-token', 'Only HTTP requests with a bearer token are accepted here.');
    }
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    request[PRINCIPAL_KEY] = await this.verifier.verify(bearerToken(request));
    return true;
  }
}

/** the token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1) */
export function bearerToken(request: Pick<RequestWithPrincipal, 'headers'>): string {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    throw new Unauthenticated(
      'missing-token',
      'Sign in: this request needs an "Authorization: Bearer <token>" header.',
    );
  }
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!match) {
    throw new Unauthenticated('malformed-token', 'The Authorization header must read "Bearer <token>".');
  }
  return match[1];
}
