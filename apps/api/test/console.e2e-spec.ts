import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, TEST_AUTH_SECRET } from './tokens';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * The API side of the web console (issue 15): its configuration, the local sign-in, its built
 * files served at /console (a fake build in a temporary CONSOLE_DIR, so that this suite does
 * not depend on the console's own build), and the survey link opening the console's page.
 */
describe('the web console, API side', () => {
  let t: ApiTestApp;
  let dist: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Support console</title><div id="app"></div>');
    writeFileSync(join(dist, 'assets', 'index-4f9a1c2b.js'), 'console.log("console");');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, CONSOLE_DIR: dist });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  describe('GET /v1/console/config', () => {
    it('local mode: local sign-in, and the roles it offers', async () => {
      const r = await http().get('/v1/console/config').expect(200);
      expect(r.body).toEqual({ signIn: 'local', roles: ['agent', 'supervisor', 'auditor', 'support-admin'] });
    });
  });

  describe('POST /v1/console/sign-in (local mode)', () => {
    const signIn = (body: Record<string, unknown>) => http().post('/v1/console/sign-in').send(body);

    it('mints a token the API accepts, with the claims npm run token signs for the role', async () => {
      const before = Date.now();
      const admin = await signIn({ role: 'support-admin', email: 'ana@acme.example', name: 'Ana Lima' }).expect(201);
      expect(Object.keys(admin.body).sort()).toEqual(['expiresAt', 'token']);
      // 8 hours, as npm run token's default
      const expires = Date.parse(admin.body.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 8 * 3600_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 8 * 3600_000);
      const claims = JSON.parse(Buffer.from(admin.body.token.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({
        sub: 'ana@acme.example',
        email: 'ana@acme.example',
        role: 'support-admin',
        org: 'acme.example',
        privileges: ['support'],
        name: 'Ana Lima',
        iss: 'support-backend-local',
        aud: 'support-backend-local',
      });
      expect(claims.exp * 1000).toBe(expires);
      // the token works: the admin opens a case of their organisation (the org defaults to the address's domain)
      const opened = await http()
        .post('/v1/cases')
        .set({ Authorization: `Bearer ${admin.body.token}` })
        .send(openCaseBody)
        .expect(201);
      expect(opened.body.tenant).toBe('acme.example');

      const agent = await signIn({
        role: 'agent',
        email: 'eve@north.example',
        vendor: 'north-desk',
        languages: ['fr', 'en'],
        regions: ['emea'],
        org: 'ignored.example',
      }).expect(201);
      const agentClaims = JSON.parse(Buffer.from(agent.body.token.split('.')[1], 'base64url').toString());
      expect(agentClaims).toMatchObject({
        role: 'agent',
        vendor: 'north-desk',
        languages: ['fr', 'en'],
        regions: ['emea'],
      });
      // a field of another role is left out of the token
      expect(agentClaims).not.toHaveProperty('org');
      const seen = await http()
        .get(`/v1/cases/${opened.body.id}`)
        .set({ Authorization: `Bearer ${agent.body.token}` })
        .expect(200);
      expect(seen.body.id).toBe(opened.body.id);

      for (const role of ['supervisor', 'auditor']) {
        const r = await signIn({ role, email: `${role}@desk.example` }).expect(201);
        await http()
          .get('/v1/reports')
          .set({ Authorization: `Bearer ${r.body.token}` })
          .expect(200);
      }
    });

    it('refuses a bad body with the fields named: an agent without vendor, languages and regions; an unknown role', async () => {
      const agent = await signIn({ role: 'agent', email: 'eve@north.example' }).expect(400);
      expect(agent.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(agent.body).toMatchObject({ code: 'HTTP.VALIDATION_FAILED' });
      expect(agent.body.errors.map((e: { field: string }) => e.field)).toEqual(['vendor', 'languages', 'regions']);
      const role = await signIn({ role: 'system', email: 'x@desk.example' }).expect(400);
      expect(role.body.errors.map((e: { field: string }) => e.field)).toEqual(['role']);
      const email = await signIn({ role: 'supervisor', email: 'not an address', extra: 1 }).expect(400);
      expect(email.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'extra']);
    });
  });

  describe('the built console at /console', () => {
    it('serves hashed assets for a year, immutable', async () => {
      const r = await http().get('/console/assets/index-4f9a1c2b.js').expect(200);
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.headers['content-type']).toMatch(/javascript/);
      expect(r.text).toBe('console.log("console");');
    });

    it('answers index.html, revalidated, at /console and every path without a file (deep links)', async () => {
      for (const path of ['/console', '/console/', '/console/queues/fr-P1', '/console/survey/a.b.c']) {
        const r = await http().get(path).expect(200);
        expect({ path, cache: r.headers['cache-control'], type: r.headers['content-type'] }).toEqual({
          path,
          cache: 'no-cache',
          type: expect.stringMatching(/^text\/html/),
        });
        expect(r.text).toContain('<title>Support console</title>');
      }
    });

    it('serves the other files of the build, revalidated', async () => {
      const r = await http().get('/console/favicon.svg').expect(200);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-type']).toMatch(/^image\/svg\+xml/);
    });

    it('answers a missing asset with the 404 problem, and never a file outside the build', async () => {
      const missing = await http().get('/console/assets/index-00000000.js').expect(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      const outside = await http().get('/console/..%2F..%2Fetc%2Fpasswd');
      expect(outside.text).not.toContain('root:');
    });
  });

  describe('the survey link', () => {
    it('sends a browser to the console’s survey page (303); integrations still get JSON', async () => {
      const token = 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl';
      const browser = await http().get(`/v1/surveys/${token}`).set('Accept', BROWSER_ACCEPT).expect(303);
      expect(browser.headers.location).toBe(`/console/survey/${token}`);
      for (const accept of ['application/json', '*/*', 'text/html;q=0.5, application/json']) {
        const r = await http().get(`/v1/surveys/${token}`).set('Accept', accept).expect(404);
        expect({ accept, code: r.body.code }).toEqual({ accept, code: 'SURVEY.INVALID_LINK' });
      }
      // the page the browser lands on is the console's entry
      await http().get(browser.headers.location).expect(200).expect('cache-control', 'no-cache');
    });
  });
});

describe('the web console with OIDC_ISSUER set', () => {
  let t: ApiTestApp;
  beforeAll(async () => {
    // the issuer is never reached: discovery waits for the first bearer token
    t = await startApiTestApp({
      OIDC_ISSUER: 'http://127.0.0.1:9/realms/support',
      OIDC_CLIENT_ID: 'desk-console',
      CONSOLE_DIR: join(tmpdir(), 'no-console-build-here'),
    });
  });
  afterAll(() => t.close());

  it('configures the authorization-code flow at the issuer, and offers no local sign-in (404)', async () => {
    const config = await request(t.app.getHttpServer()).get('/v1/console/config').expect(200);
    expect(config.body).toEqual({
      signIn: 'oidc',
      issuer: 'http://127.0.0.1:9/realms/support',
      clientId: 'desk-console',
      scope: 'openid profile email',
    });
    const signIn = await request(t.app.getHttpServer())
      .post('/v1/console/sign-in')
      .send({ role: 'supervisor', email: 'sam@desk.example' })
      .expect(404);
    expect(signIn.body).toMatchObject({ code: 'HTTP.NOT_FOUND', status: 404 });
  });

  it('answers 503 saying to run npm run build when the console is not built', async () => {
    for (const path of ['/console', '/console/queues']) {
      const r = await request(t.app.getHttpServer()).get(path).expect(503);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ code: 'CONSOLE.NOT_BUILT', detail: expect.stringContaining('npm run build') });
    }
  });
});
