import { SignJWT, UnsecuredJWT } from 'jose';
import { LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from './auth.constants';
import { Unauthenticated } from './auth.errors';
import { issueLocalToken } from './local-token';
import type { PrincipalClaims } from './principal';
import { createTokenVerifier } from './token-verifier';

const secret = 'test-secret-0123456789-0123456789-0123456789';
const otherSecret = 'another-secret-0123456789-0123456789-012345';
const verifier = createTokenVerifier({ mode: 'local', secret });

const ana: PrincipalClaims = {
  role: 'support-admin',
  sub: 'ana',
  email: 'ana@acme.example',
  org: 'acme.example',
  privileges: ['support'],
};

/** a token with full control over what it says, for the refusals */
const forge = (
  payload: Record<string, unknown>,
  options: { key?: string; alg?: string; iss?: string; aud?: string } = {},
) =>
  new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuer(options.iss ?? LOCAL_TOKEN_ISSUER)
    .setAudience(options.aud ?? LOCAL_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(options.key ?? secret));

const refusal = async (token: string): Promise<Unauthenticated> => {
  const err = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Unauthenticated);
  expect(err).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', status: 401 });
  return err as Unauthenticated;
};

describe('local token verifier (HS256)', () => {
  it('accepts a token it issued and returns the principal', async () => {
    const token = await issueLocalToken(secret, ana, { expiresIn: '1h' });
    await expect(verifier.verify(token)).resolves.toEqual({ ...ana, role: 'support-admin' });
  });

  it('accepts a token within the clock tolerance after expiry', async () => {
    const token = await issueLocalToken(secret, ana, { expiresIn: 60, issuedAt: new Date(Date.now() - 62_000) });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'ana' });
  });

  it('remembers a verified token only until it expires: then it is refused as expired', async () => {
    const remembering = createTokenVerifier({ mode: 'local', secret, clockToleranceSeconds: 0 });
    const token = await issueLocalToken(secret, ana, { expiresIn: 60 });
    await expect(remembering.verify(token)).resolves.toMatchObject({ sub: 'ana' });
    await expect(remembering.verify(token)).resolves.toMatchObject({ sub: 'ana' });
    jest.useFakeTimers({ now: Date.now() + 61_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      await expect(remembering.verify(token)).rejects.toMatchObject({ reason: 'expired-token' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a token signed with another secret', async () => {
    const token = await issueLocalToken(otherSecret, ana, { expiresIn: '1h' });
    expect(await refusal(token)).toMatchObject({ reason: 'invalid-signature' });
  });

  it('refuses a token whose payload was altered', async () => {
    const [header, , signature] = (await issueLocalToken(secret, ana, { expiresIn: '1h' })).split('.');
    const payload = Buffer.from(JSON.stringify({ ...ana, org: 'other.example', exp: 9e9 })).toString('base64url');
    expect(await refusal(`${header}.${payload}.${signature}`)).toMatchObject({ reason: 'invalid-signature' });
  });

  it('refuses an expired token', async () => {
    const token = await issueLocalToken(secret, ana, {
      expiresIn: '1h',
      issuedAt: new Date(Date.now() - 2 * 3600_000),
    });
    const err = await refusal(token);
    expect(err.reason).toBe('expired-token');
    expect(err.message).toBe('The bearer token has expired; get a new one.');
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusal(await forge({ ...ana }, { iss: 'https://elsewhere.example' }))).toMatchObject({
      reason: 'wrong-issuer',
    });
  });

  it('refuses a token for another audience', async () => {
    expect(await refusal(await forge({ ...ana }, { aud: 'another-service' }))).toMatchObject({
      reason: 'wrong-audience',
    });
  });

  it('refuses a token without expiry', async () => {
    const token = await new SignJWT({ ...ana })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(LOCAL_TOKEN_ISSUER)
      .setAudience(LOCAL_TOKEN_AUDIENCE)
      .sign(new TextEncoder().encode(secret));
    expect(await refusal(token)).toMatchObject({ reason: 'invalid-claims', claim: 'exp' });
  });

  it('refuses a well-signed token with malformed claims', async () => {
    const token = await forge({
      role: 'agent',
      sub: 'eve',
      email: 'eve@vendor.example',
      vendor: 'north',
      regions: ['emea'],
    });
    const err = await refusal(token);
    expect(err).toMatchObject({ reason: 'invalid-claims', claim: 'languages' });
    expect(err.message).toBe(
      `The bearer token's "languages" claim must be a non-empty list of language codes such as fr, en.`,
    );
  });

  it('refuses another algorithm, even with the right secret', async () => {
    expect(await refusal(await forge({ ...ana }, { alg: 'HS512' }))).toMatchObject({ reason: 'malformed-token' });
  });

  it('refuses an unsigned token', async () => {
    const token = new UnsecuredJWT({ ...ana }).setIssuer(LOCAL_TOKEN_ISSUER).setExpirationTime('1h').encode();
    expect(await refusal(token)).toMatchObject({ reason: 'malformed-token' });
  });

  it.each(['', 'not-a-jwt', 'a.b.c'])('refuses garbage %p', async (token) => {
    expect(await refusal(token)).toMatchObject({
      reason: 'malformed-token',
      message: 'The bearer token is malformed.',
    });
  });

  it('will not start with a secret shorter than 32 bytes', () => {
    expect(() => createTokenVerifier({ mode: 'local', secret: 'short' })).toThrow(/at least 32 bytes/);
  });

  it('will not mint a token with malformed claims', async () => {
    await expect(issueLocalToken(secret, { ...ana, org: 'not a domain' }, { expiresIn: '1h' })).rejects.toMatchObject({
      claim: 'org',
    });
    await expect(issueLocalToken(secret, ana, { expiresIn: '0h' as '1h' })).rejects.toThrow(/positive/);
  });
});
