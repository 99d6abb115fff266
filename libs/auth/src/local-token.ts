import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { parsePrincipal, type PrincipalClaims } from './principal';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, secretBytes } from './auth.constants';

/** seconds, or a whole number followed by s, m, h or d: `90`, `'15m'`, `'8h'`, `'30d'` */
export type TokenLifetime = number | `${number}${'s' | 'm' | 'h' | 'd'}`;

export interface IssueLocalTokenOptions {
  readonly expiresIn: TokenLifetime;
  /** default now; tests use it to mint tokens that have already expired */
  readonly issuedAt?: Date;
}

/**
 * Signs an HS256 token that a `{ mode: 'local' }` verifier with the same secret accepts.
 * The claims are checked with the verifier's own parser first, so a malformed token is
 * never minted: throws {@link Unauthenticated} (`invalid-claims`, with `claim`) otherwise.
 */
export async function issueLocalToken(
  secret: Uint8Array | string,
  claims: PrincipalClaims,
  options: IssueLocalTokenOptions,
): Promise<string> {
  parsePrincipal(claims as unknown as Record<string, unknown>);
  const lifetime = lifetimeSeconds(options.expiresIn);
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const { sub, ...rest } = claims;
  const payload = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(LOCAL_TOKEN_ISSUER)
    .setAudience(LOCAL_TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(randomUUID())
    .sign(secretBytes(secret));
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** @throws TypeError for anything but a positive lifetime in the {@link TokenLifetime} forms */
export function lifetimeSeconds(value: TokenLifetime | string): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0) return value;
  } else {
    const match = /^(\d+)([smhd])$/.exec(value.trim());
    if (match && Number(match[1]) > 0) return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  }
  throw new TypeError(`A token lifetime must be a positive number of seconds or like 15m, 8h, 30d; got "${value}"`);
}
