import {
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JWSHeaderParameters,
  type JWTVerifyGetKey,
  type FlattenedJWSInput,
} from 'jose';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, secretBytes } from './auth.constants';
import { AuthError, IdentityProviderUnavailable, Unauthenticated } from './auth.errors';
import { parsePrincipal, type Principal } from './principal';

/** Verify tokens from an OpenID Connect provider, against its published keys (JWKS). */
export interface OidcVerifierOptions {
  readonly mode: 'oidc';
  /** must equal the tokens' `iss`, e.g. `https://login.example.com/realms/support` */
  readonly issuer: string;
  /** when given, tokens must carry it in `aud` */
  readonly audience?: string | readonly string[];
  /** skips discovery (`<issuer>/.well-known/openid-configuration`) when given */
  readonly jwksUri?: string;
  /** accepted signature algorithms; asymmetric only, default RS/PS/ES 256–512 and EdDSA */
  readonly algorithms?: readonly string[];
  /** default 5 */
  readonly clockToleranceSeconds?: number;
  /** for discovery and JWKS requests; default 5000 */
  readonly timeoutMs?: number;
}

/** Verify HS256 tokens signed with a local secret (development and single-host installs). */
export interface LocalVerifierOptions {
  readonly mode: 'local';
  /** a string is used as its UTF-8 bytes, as `loadOrCreateLocalSecret` returns them */
  readonly secret: Uint8Array | string;
  readonly clockToleranceSeconds?: number;
}

export type TokenVerifierOptions = OidcVerifierOptions | LocalVerifierOptions;

/** Turns a bearer token into a {@link Principal}, or throws {@link Unauthenticated} (401). */
export interface TokenVerifier {
  /**
   * @throws Unauthenticated when the token is malformed, expired, badly signed, from another
   *   issuer or audience, or carries malformed claims
   * @throws IdentityProviderUnavailable (oidc) when discovery or the JWKS cannot be fetched
   */
  verify(token: string): Promise<Principal>;
}

// prettier-ignore
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return rememberVerified(
    options.mode === 'oidc' ? oidcVerifier(options) : localVerifier(options),
    options.clockToleranceSeconds ?? 5,
  );
}

/** How many verified tokens are remembered (least recently verified forgotten first). */
const REMEMBERED_TOKENS = 1_000;

/**
 * A client sends the same bearer token with every request until it expires; checking its
 * signature each time (an HMAC or an RSA verification, a key import) is most of what
 * authentication costs. A token verified once is remembered until its `exp` (with the same
 * clock tolerance), so only its expiry is checked again. A token is data signed once: it
 * cannot become valid or invalid otherwise, short of a revocation list, which JWTs here do
 * not have.
 */
function rememberVerified(inner: TokenVerifier, toleranceSeconds: number): TokenVerifier {
  const verified = new Map<string, { principal: Principal; validUntilMs: number }>();
  return {
    verify: async (token) => {
      const known = verified.get(token);
      if (known && Date.now() < known.validUntilMs) return known.principal;
      verified.delete(token);
      const principal = await inner.verify(token);
      const { exp } = decodeJwt(token);
      if (typeof exp === 'number') {
        verified.set(token, { principal, validUntilMs: (exp + toleranceSeconds) * 1000 });
        if (verified.size > REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
      }
      return principal;
    },
  };
}

function localVerifier(options: LocalVerifierOptions): TokenVerifier {
  const key = secretBytes(options.secret);
  return {
    verify: (token) =>
      verifyWith(token, key, {
        algorithms: ['HS256'],
        issuer: LOCAL_TOKEN_ISSUER,
        audience: LOCAL_TOKEN_AUDIENCE,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'sub'],
      }),
  };
}

function oidcVerifier(options: OidcVerifierOptions): TokenVerifier {
  if (!URL.canParse(options.issuer))
    throw new TypeError(`OIDC issuer must be an absolute URL, got "${options.issuer}"`);
  const algorithms = options.algorithms ?? ASYMMETRIC;
  const symmetric = algorithms.filter((alg) => !ASYMMETRIC.includes(alg));
  // an HS* algorithm with a JWKS would let anyone who reads the public keys sign tokens
  if (symmetric.length) throw new TypeError(`OIDC algorithms must be asymmetric, got ${symmetric.join(', ')}`);
  const getKey = remoteKeys(options);
  return {
    verify: (token) =>
      verifyWith(token, getKey, {
        algorithms: [...algorithms],
        issuer: options.issuer,
        audience: options.audience === undefined ? undefined : ([] as string[]).concat(options.audience),
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'sub'],
      }),
  };
}

/**
 * The provider's keys, fetched on first use (so the app starts while the provider is down)
 * and cached by jose, which refetches when a token names an unknown `kid` (key rotation).
 */
function remoteKeys(options: OidcVerifierOptions): JWTVerifyGetKey {
  const timeoutDuration = options.timeoutMs ?? 5000;
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const load = async () =>
    createRemoteJWKSet(new URL(options.jwksUri ?? (await discoverJwksUri(options.issuer, timeoutDuration))), {
      timeoutDuration,
    });

  return async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    // one discovery at a time; a failed one is forgotten so the next request retries it
    keySet ??= load().catch((err: unknown) => {
      keySet = undefined;
      throw err;
    });
    const jwks = await keySet;
    try {
      return await jwks(header, token);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
        throw new Unauthenticated('unknown-key', 'The bearer token was signed with a key this service does not trust.');
      }
      throw new IdentityProviderUnavailable(
        "The identity provider's signing keys could not be fetched; try again shortly.",
        {
          cause: err,
        },
      );
    }
  };
}

/** OpenID Connect Discovery 1.0 §4: the document's `issuer` must be the one configured. */
async function discoverJwksUri(issuer: string, timeoutMs: number): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let doc: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    doc = (await response.json()) as typeof doc;
  } catch (err) {
    throw new IdentityProviderUnavailable('The identity provider could not be reached; try again shortly.', {
      cause: err,
    });
  }
  if (doc.issuer !== issuer || typeof doc.jwks_uri !== 'string' || !URL.canParse(doc.jwks_uri)) {
    throw new IdentityProviderUnavailable("The identity provider's discovery document does not match its issuer.", {
      cause: new Error(`${url}: issuer ${JSON.stringify(doc.issuer)}, jwks_uri ${JSON.stringify(doc.jwks_uri)}`),
    });
  }
  return doc.jwks_uri;
}

async function verifyWith(
  token: string,
  key: Uint8Array | JWTVerifyGetKey,
  options: Parameters<typeof jwtVerify>[2],
): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, options));
  } catch (err) {
    throw asAuthError(err);
  }
  return parsePrincipal(payload);
}

/** jose's errors by `code`, not `instanceof`: robust to jose being loaded twice. */
function asAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  const { code, claim } = (err ?? {}) as { code?: unknown; claim?: unknown };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new Unauthenticated('expired-token', 'The bearer token has expired; get a new one.', { cause: err });
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new Unauthenticated('invalid-signature', "The bearer token's signature is not valid.", { cause: err });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') {
        return new Unauthenticated(
          'wrong-issuer',
          'The bearer token was not issued by an issuer this service trusts.',
          {
            cause: err,
          },
        );
      }
      if (claim === 'aud') {
        return new Unauthenticated('wrong-audience', 'The bearer token is meant for another service.', { cause: err });
      }
      return new Unauthenticated(
        'invalid-claims',
        `The bearer token's "${String(claim)}" claim is missing or not valid.`,
        {
          cause: err,
          claim: String(claim),
        },
      );
    default:
      return new Unauthenticated('malformed-token', 'The bearer token is malformed.', { cause: err });
  }
}
