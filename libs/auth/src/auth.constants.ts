/** `iss` and `aud` of tokens issued by `issueLocalToken` and accepted in local mode. */
export const LOCAL_TOKEN_ISSUER = 'support-backend-local';
export const LOCAL_TOKEN_AUDIENCE = 'support-backend-local';

/** The least key length accepted for HS256 (RFC 7518 §3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32;

/** a string secret is used as its UTF-8 bytes; @throws TypeError when shorter than {@link MIN_SECRET_BYTES} */
export function secretBytes(secret: Uint8Array | string, source = 'The local token secret'): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new TypeError(`${source} must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  return bytes;
}
