/**
 * Coded auth errors. Each carries a stable `code`, the HTTP `status` the app's one
 * problem-details filter should answer with, and a message written for the person who
 * made the request (it becomes the problem's `detail`). Messages never echo token
 * content: a token is attacker-controlled input.
 */
export abstract class AuthError extends Error {
  abstract readonly code: string;
  abstract readonly status: 401 | 403 | 503;
  /** true when the same request may succeed later without any change (kafkajs style) */
  readonly retriable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why a request was not authenticated; for logs and metrics, never shown as-is. */
export type UnauthenticatedReason =
  | 'missing-token'
  | 'malformed-token'
  | 'expired-token'
  | 'invalid-signature'
  | 'unknown-key'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'invalid-claims';

/** 401: no token, or one we cannot trust (bad signature, expired, wrong issuer, malformed claims). */
export class Unauthenticated extends AuthError {
  readonly code = 'AUTH.UNAUTHENTICATED';
  readonly status = 401;

  /** for `invalid-claims`: the claim at fault */
  readonly claim?: string;

  constructor(
    readonly reason: UnauthenticatedReason,
    message: string,
    options: { cause?: unknown; claim?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.claim = options.claim;
  }

  /** the `WWW-Authenticate` header value a 401 must carry (RFC 6750 §3) */
  get wwwAuthenticate(): string {
    return this.reason === 'missing-token' ? 'Bearer' : 'Bearer error="invalid_token"';
  }
}

/**
 * 503: the identity provider (OIDC discovery document or JWKS) could not be reached or
 * answered nonsense. Not the caller's fault, so not a 401; retrying later may help.
 */
export class IdentityProviderUnavailable extends AuthError {
  readonly code = 'AUTH.IDP_UNAVAILABLE';
  readonly status = 503;
  override readonly retriable = true;
}

/** 403: the principal is known but may not do this. */
export abstract class AccessRefused extends AuthError {
  readonly status = 403;
}

/** R1: a customer administrator without the Support privilege. */
export class MissingPrivilege extends AccessRefused {
  readonly code = 'AUTH.MISSING_PRIVILEGE';

  constructor(
    readonly privilege: string,
    readonly email: string,
    readonly org: string,
  ) {
    super(
      `${email} is an administrator of ${org} without the "${capitalise(privilege)}" privilege, which is needed ` +
        `to work with support cases. Ask a super administrator of ${org} to grant it.`,
    );
  }
}

/** R2: an address on a consumer e-mail domain, whatever its privileges. */
export class ConsumerAccount extends AccessRefused {
  readonly code = 'AUTH.CONSUMER_ACCOUNT';

  constructor(
    readonly email: string,
    readonly domain: string,
    /** what is on the consumer domain: the address (default), or the organisation the token names */
    readonly subject: 'email' | 'org' = 'email',
  ) {
    super(
      (subject === 'email'
        ? `${email} is a consumer account (${domain}); `
        : `${email} signs in for ${domain}, a consumer e-mail domain, not an organisation; `) +
        `enterprise support is only available to administrators signed in with their organisation's account.`,
    );
  }
}

/** 403: the role is never allowed this action. */
export class ActionForbidden extends AccessRefused {
  readonly code = 'AUTH.FORBIDDEN';

  constructor(
    readonly role: string,
    readonly action: string,
    roleLabel: string,
    actionDescription: string,
  ) {
    super(`The ${roleLabel} role (${role}) may not ${actionDescription} (${action}).`);
  }
}

/** 403: auditors read everything and change nothing. */
export class ReadOnlyAccess extends AccessRefused {
  readonly code = 'AUTH.READ_ONLY';

  constructor(
    readonly role: string,
    readonly action: string,
    actionDescription: string,
  ) {
    super(`Auditors have read-only access and may not ${actionDescription} (${action}).`);
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
