import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/**
 * Bad input is a 4xx problem document, never a 500 and never another shape: text the store
 * cannot keep, bodies nested without end, log positions out of range, malformed URLs, other
 * media types than JSON.
 */
describe('bad input: 4xx problem documents, never a 500', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const open = async () => (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body;
  const eventCount = async (id: string) =>
    (await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200)).body.events.length;
  const expectProblem = (r: request.Response, status: number, code?: string) => {
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    if (code) expect(r.body.code).toBe(code);
  };
  const fields = (r: request.Response) => (r.body.errors as { field: string }[]).map((e) => e.field).sort();

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  describe('text the store cannot keep (NUL, unpaired surrogates): 400 naming the field, nothing written', () => {
    it.each([
      ['a NUL character', 'a\u0000b'],
      ['a lone high surrogate', 'a\ud800b'],
      ['a lone low surrogate', 'a\udc00b'],
    ])('%s in a body field', async (_what, text) => {
      const before = (await http().get('/v1/cases').set(as(tok.admin)).expect(200)).body.items.length;
      const r = await http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .send({ ...openCaseBody, subject: text });
      expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
      expect(fields(r)).toEqual(['subject']);
      expect((await http().get('/v1/cases').set(as(tok.admin)).expect(200)).body.items.length).toBe(before);

      const { id } = await open();
      const events = await eventCount(id);
      const m = await http().post(`/v1/cases/${id}/replies`).set(as(tok.admin)).send({ message: text });
      expectProblem(m, 400, 'HTTP.VALIDATION_FAILED');
      expect(fields(m)).toEqual(['message']);
      expect(await eventCount(id)).toBe(events);
    });

    it('names nested fields and keys', async () => {
      const r = await http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .send({ ...openCaseBody, impact: { ...openCaseBody.impact, scope: 'several\u0000users' }, 'x\ud800': 1 });
      expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
      expect(fields(r)).toEqual(['impact.scope', 'x\ud800']);
    });

    it('in a query parameter', async () => {
      const r = await http().get('/v1/audit/events?type=a%00b').set(as(tok.auditor));
      expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
      expect(fields(r)).toEqual(['type']);
    });
  });

  describe('bodies nested without end: 400 before validation walks them', () => {
    it.each([
      ['5,000 nested objects', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
      ['100,000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
      ['an open array never closed', '['.repeat(100_000)],
    ])('%s', async (_what, body) => {
      const { id } = await open();
      const r = await http().post(`/v1/cases/${id}/replies`).set(as(tok.admin)).type('json').send(body);
      expectProblem(r, 400, 'HTTP.BODY_TOO_DEEP');
    });

    it('brackets inside strings do not count', async () => {
      const { id } = await open();
      await http()
        .post(`/v1/cases/${id}/replies`)
        .set(as(tok.admin))
        .send({ message: '[{'.repeat(1000) + '\\"[' })
        .expect(200);
    });
  });

  describe('?after= must be a log position: a decimal integer from 0 to 2^53 - 1', () => {
    const routes = (): [string, string][] => [
      ['/v1/cases', tok.admin],
      ['/v1/queues', tok.supervisor],
      ['/v1/queues/fr-P1', tok.agent],
      ['/v1/reports/backlog', tok.supervisor],
      ['/v1/audit/events', tok.auditor],
    ];
    it.each(['1e99', '1e3', '9007199254740992', '99999999999999999999999', '-1', '1.5', '0x10', 'abc', ' 1'])(
      'after=%s is a 400 naming it on every route that takes it',
      async (after) => {
        for (const [path, token] of routes()) {
          const r = await http().get(path).query({ after }).set(as(token));
          expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
          expect(fields(r)).toEqual(['after']);
        }
      },
    );

    it('a position as the API hands it out is fine', async () => {
      const written = await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
      const position = written.headers['x-log-position'];
      expect(position).toMatch(/^\d+$/);
      await http().get(`/v1/cases?after=${position}`).set(as(tok.admin)).expect(200);
      await http().get('/v1/audit/events?after=0&limit=1').set(as(tok.auditor)).expect(200);
    });
  });

  describe('instants the store cannot compare with: 400 naming the parameter', () => {
    it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])('%s', async (at) => {
      const q = encodeURIComponent(at);
      const routes: [string, string, string][] = [
        [`/v1/reports/backlog?to=${q}`, tok.supervisor, 'to'],
        [`/v1/reports/first-response-time?from=${q}`, tok.supervisor, 'from'],
        [`/v1/audit/reports/backlog?asOf=${q}`, tok.auditor, 'asOf'],
        [`/v1/audit/queues/fr-P1?asOf=${q}`, tok.auditor, 'asOf'],
        [`/v1/audit/export?from=${q}`, tok.auditor, 'from'],
        [`/v1/audit/export?to=${q}`, tok.auditor, 'to'],
      ];
      for (const [path, token, field] of routes) {
        const r = await http().get(path).set(as(token));
        expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
        expect(fields(r)).toEqual([field]);
      }
      const { id } = await open();
      const r = await http().get(`/v1/audit/cases/${id}?asOf=${q}`).set(as(tok.auditor));
      expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
      expect(fields(r)).toEqual(['asOf']);
    });
  });

  it('a body of thousands of unknown properties is a 400 listing the first 50', async () => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const r = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, ...body });
    expectProblem(r, 400, 'HTTP.VALIDATION_FAILED');
    expect(r.body.errors).toHaveLength(50);
    expect(r.body.detail).toMatch(/and 4950 more fields$/);
  });

  describe("the router's own refusals are problem documents too", () => {
    it('400 for a malformed percent-encoding in the path', async () => {
      expectProblem(await http().get('/v1/cases/%E0%A4%A').set(as(tok.admin)), 400, 'HTTP.MALFORMED_URL');
    });
    it('a path parameter up to 2,048 characters reaches the route (a survey token is about 300): its own 400, not 414', async () => {
      const res = await http()
        .get(`/v1/cases/${'a'.repeat(2048)}`)
        .set(as(tok.admin));
      expectProblem(res, 400, 'HTTP.BAD_REQUEST');
    });
    it('414 for a 5,000-character path parameter', async () => {
      expectProblem(
        await http()
          .get(`/v1/cases/${'a'.repeat(5000)}`)
          .set(as(tok.admin)),
        414,
        'HTTP.URI_TOO_LONG',
      );
    });
    it('404 for an unknown route, whatever it is sent', async () => {
      expectProblem(await http().get('/v1/nothing-here').set(as(tok.admin)), 404, 'HTTP.NOT_FOUND');
      expectProblem(
        await http().post('/v1/nothing-here').set(as(tok.admin)).set('content-type', 'application/xml').send('<a/>'),
        404,
        'HTTP.NOT_FOUND',
      );
    });
    it.each([
      [
        'a malformed header line',
        'GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n',
        400,
        'HTTP.MALFORMED_REQUEST',
      ],
      ['a malformed request line', 'GET\u0000 / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'HTTP.MALFORMED_REQUEST'],
      [
        'headers over the size limit',
        `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'HTTP.HEADERS_TOO_LARGE',
      ],
    ])('%s is refused by the HTTP parser as a problem document', async (_what, raw, status, code) => {
      const server = t.app.getHttpServer();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(port, '127.0.0.1', () => socket.end(raw));
        socket.on('data', (chunk) => (text += chunk.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/i);
      expect(JSON.parse(body)).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
    });

    it('400 for malformed JSON, and for __proto__ and constructor.prototype keys', async () => {
      for (const body of [
        '{"subject":',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
      ]) {
        const r = await http().post('/v1/cases').set(as(tok.admin)).type('json').send(body);
        expectProblem(r, 400, 'HTTP.MALFORMED_BODY');
      }
    });
  });

  describe('bodies are JSON only: 415 otherwise', () => {
    it.each([
      ['a form', 'application/x-www-form-urlencoded', 'message=x'],
      ['text', 'text/plain', '{"message":"x"}'],
      ['XML', 'application/xml', '<message>x</message>'],
      [
        'a multipart form',
        'multipart/form-data; boundary=b',
        '--b\r\nContent-Disposition: form-data; name="message"\r\n\r\nx\r\n--b--',
      ],
      ['a malformed Content-Type', 'json', '{"message":"x"}'],
    ])('%s is refused, nothing written', async (_what, contentType, body) => {
      const { id } = await open();
      const events = await eventCount(id);
      const r = await http()
        .post(`/v1/cases/${id}/replies`)
        .set(as(tok.admin))
        .set('content-type', contentType)
        .send(body);
      expectProblem(r, 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
      expect(await eventCount(id)).toBe(events);
    });

    it('application/json with a charset, and application/<x>+json, are JSON', async () => {
      const { id } = await open();
      for (const contentType of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
        await http()
          .post(`/v1/cases/${id}/replies`)
          .set(as(tok.admin))
          .set('content-type', contentType)
          .send(JSON.stringify({ message: 'x' }))
          .expect(200);
      }
    });
  });
});
