
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { IdentityProviderUnavailable, Unauthenticated } from './auth.errors';
import { createTokenVerifier } from './token-verifier';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

const claims = { role: 'supervisor', email: 'sam@desk.example' };

/** a tiny identity provider: discovery document and JWKS on 127.0.0.1 */
class FakeIdp {
  requests: string[] = [];
  discoveryIssuer?: string;
  /** answer 500 to everything, as a provider in trouble does */
  failing = false;
  private server!: Server;
  issuer = '';

  constructor(private readonly jwks: { keys: JWK[] }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      if (this.failing) return void res.writeHead(500).end();
      const body =
        req.url === '/.well-known/openid-configuration'
          ? { issuer: this.discoveryIssuer ?? this.issuer, jwks_uri: `${this.issuer}/keys` }
          : req.url === '/keys'
            ? this.jwks
            : undefined;
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const sign = (key: KeyPair['privateKey'], issuer: string, options: { kid?: string; aud?: string; sub?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'idp-key-1' })
    .setSubject(options.sub ?? 'sam')
    .setIssuer(issuer)
    .setAudience(options.aud ?? 'support-api')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => err,
  );

describe('OIDC token verifier (JWKS)', () => {
  let idpKey: KeyPair;
  let strangerKey: KeyPair;
  let idp: FakeIdp;

  beforeAll(async () => {
    idpKey = await generateKeyPair('ES256');
    strangerKey = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(idpKey.publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
    idp = await new FakeIdp({ keys: [jwk] }).start();
  });
  afterAll(() => idp.stop());
  beforeEach(() => {
    idp.requests = [];
    idp.discoveryIssuer = undefined;
    idp.failing = false;
  });

  it('discovers the JWKS and accepts a token signed by the issuer', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer, audience: 'support-api' });
    await expect(verifier.verify(await sign(idpKey.privateKey, idp.issuer))).resolves.toEqual({
      role: 'supervisor',
      sub: 'sam',
      email: 'sam@desk.example',
    });
    await verifier.verify(await sign(idpKey.privateKey, idp.issuer, { sub: 'sam-2' }));
    expect(idp.requests).toEqual(['/.well-known/openid-configuration', '/keys']); // fetched once, then cached
  });

  it('uses a configured jwksUri without discovery', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer, jwksUri: `${idp.issuer}/keys` });
    await expect(verifier.verify(await sign(idpKey.privateKey, idp.issuer))).resolves.toMatchObject({ sub: 'sam' });
    expect(idp.requests).toEqual(['/keys']);
  });

  it('refuses a token signed by another key under the same key id', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer });
    const err = await rejection(verifier.verify(await sign(strangerKey.privateKey, idp.issuer)));
    expect(err).toBeInstanceOf(Unauthenticated);
    expect(err).toMatchObject({ status: 401, reason: 'invalid-signature' });
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer });
    const err = await rejection(verifier.verify(await sign(strangerKey.privateKey, idp.issuer, { kid: 'stranger' })));
    expect(err).toBeInstanceOf(Unauthenticated);
    expect(err).toMatchObject({ status: 401, reason: 'unknown-key' });
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer, audience: 'support-api' });
    const otherIssuer = await sign(idpKey.privateKey, 'https://elsewhere.example');
    await expect(verifier.verify(otherIssuer)).rejects.toMatchObject({ reason: 'wrong-issuer' });
    const otherAudience = await sign(idpKey.privateKey, idp.issuer, { aud: 'billing-api' });
    await expect(verifier.verify(otherAudience)).rejects.toMatchObject({ reason: 'wrong-audience' });
  });

  it('refuses an HS256 token made with the public key as secret (algorithm confusion)', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer });
    const publicJwk = JSON.stringify(await exportJWK(idpKey.publicKey));
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'idp-key-1' })
      .setSubject('sam')
      .setIssuer(idp.issuer)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(publicJwk));
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  it('answers 503, not 401, when the identity provider cannot be reached', async () => {
    const down = await new FakeIdp({ keys: [] }).start();
    const issuer = down.issuer;
    await down.stop();
    const verifier = createTokenVerifier({ mode: 'oidc', issuer, timeoutMs: 1000 });
    const err = await rejection(verifier.verify(await sign(idpKey.privateKey, issuer)));
    expect(err).toBeInstanceOf(IdentityProviderUnavailable);
    expect(err).toMatchObject({ code: 'AUTH.IDP_UNAVAILABLE', status: 503, retriable: true });
  });

  it('answers 503 while the provider fails, and recovers when it is back', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer });
    const token = await sign(idpKey.privateKey, idp.issuer);
    idp.failing = true;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailable);
    idp.failing = false;
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'sam' });
  });

  it('answers 503 when the JWKS itself cannot be fetched', async () => {
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer, jwksUri: `${idp.issuer}/keys` });
    idp.failing = true;
    await expect(verifier.verify(await sign(idpKey.privateKey, idp.issuer))).rejects.toBeInstanceOf(
      IdentityProviderUnavailable,
    );
  });

  it('answers 503 when the discovery document names another issuer', async () => {
    idp.discoveryIssuer = 'https://impostor.example';
    const verifier = createTokenVerifier({ mode: 'oidc', issuer: idp.issuer });
    const err = await rejection(verifier.verify(await sign(idpKey.privateKey, idp.issuer)));
    expect(err).toBeInstanceOf(IdentityProviderUnavailable);
  });

  it('will not start with a symmetric algorithm or an issuer that is not a URL', () => {
    expect(() => createTokenVerifier({ mode: 'oidc', issuer: 'https://idp.example', algorithms: ['HS256'] })).toThrow(
      /asymmetric/,
    );
    expect(() => createTokenVerifier({ mode: 'oidc', issuer: 'idp.example' })).toThrow(/absolute URL/);
  });
});
