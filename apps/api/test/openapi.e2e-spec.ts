import request from 'supertest';
import { formatOpenApiProblems, lintOpenApiDocument } from '../src/openapi/openapi-lint';
import { startApiTestApp, type ApiTestApp } from './api-test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked as plain JSON */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  readonly id: string;
  readonly op: any;
  readonly headers: string[];
  readonly statuses: string[];
}

/** The routes a client may call without a token. */
const PUBLIC = [
  'GET /health/live',
  'GET /health/ready',
  'GET /v1/console/config',
  'GET /v1/surveys/{token}',
  'POST /v1/console/sign-in',
  'POST /v1/surveys/{token}',
];

describe('the OpenAPI document served at /docs-json', () => {
  let t: ApiTestApp;
  let document: Record<string, any>;
  let operations: Operation[];
  beforeAll(async () => {
    t = await startApiTestApp();
    document = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body;
    operations = Object.entries(document.paths as Record<string, any>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({
        id: `${m.toUpperCase()} ${path}`,
        op: item[m],
        headers: (item[m].parameters ?? []).filter((p: any) => p.in === 'header').map((p: any) => p.name),
        statuses: Object.keys(item[m].responses ?? {}),
      })),
    );
  });
  afterAll(() => t.close());

  const where = (test: (o: Operation) => boolean) =>
    operations
      .filter(test)
      .map((o) => o.id)
      .sort();

  it("is clean under Redocly's recommended ruleset: no error, no warning", async () => {
    const problems = await lintOpenApiDocument(document);
    expect(formatOpenApiProblems(problems)).toBe('');
  });

  it('names a server and a summary for every operation', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(operations.length).toBeGreaterThan(30);
    expect(where((o) => !o.op.summary)).toEqual([]);
  });

  it('declares the bearer scheme on every operation, and `security: []` on the public ones', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(where((o) => Array.isArray(o.op.security) && o.op.security.length === 0)).toEqual([...PUBLIC].sort());
    expect(where((o) => !PUBLIC.includes(o.id) && JSON.stringify(o.op.security) !== '[{"bearer":[]}]')).toEqual([]);
    // a public route has no 401 or 403 to give; every other one has both
    expect(where((o) => PUBLIC.includes(o.id) && (o.statuses.includes('401') || o.statuses.includes('403')))).toEqual(
      [],
    );
    expect(where((o) => !PUBLIC.includes(o.id) && !(o.statuses.includes('401') && o.statuses.includes('403')))).toEqual(
      [],
    );
  });

  it('documents every error answer as a problem document of the one shared Problem schema', () => {
    expect(document.components.schemas.Problem).toMatchObject({
      required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    });
    const notProblems = operations.flatMap((o) =>
      o.statuses
        .filter((s) => Number(s) >= 400)
        .filter((s) => {
          const content = o.op.responses[s].content ?? {};
          return (
            Object.keys(content).join() !== 'application/problem+json' ||
            content['application/problem+json'].schema?.$ref !== '#/components/schemas/Problem' ||
            !o.op.responses[s].description
          );
        })
        .map((s) => `${o.id} ${s}`),
    );
    expect(notProblems).toEqual([]);
  });

  it('documents 400, 413 and 415 on every route with a body, and 413 and 415 nowhere else', () => {
    const hasBody = (o: Operation) => Boolean(o.op.requestBody);
    expect(where(hasBody).length).toBeGreaterThan(15);
    expect(where((o) => hasBody(o) && !['400', '413', '415'].every((s) => o.statuses.includes(s)))).toEqual([]);
    expect(where((o) => !hasBody(o) && (o.statuses.includes('413') || o.statuses.includes('415')))).toEqual([]);
    // a route with any parameter can refuse it (a NUL character in any string is a 400 too)
    expect(where((o) => (o.op.parameters ?? []).length > 0 && !o.statuses.includes('400'))).toEqual([]);
  });

  it('documents 422 and 503 on every write (Idempotency-Key), and 412 only where If-Match is taken', () => {
    const writes = where((o) => o.headers.includes('Idempotency-Key'));
    expect(writes.length).toBeGreaterThan(15);
    expect(
      where(
        (o) => o.headers.includes('Idempotency-Key') && !(o.statuses.includes('422') && o.statuses.includes('503')),
      ),
    ).toEqual([]);
    expect(where((o) => o.statuses.includes('412') && !o.headers.includes('If-Match'))).toEqual([]);
    // the case, incident, intake, article-revision and own-notification-setting writes decide
    // on the version If-Match names (not the start of an intake nor an article's creation: a
    // new stream); the vendor directory's do not
    const takesIfMatch = ['/v1/cases', '/v1/incidents', '/v1/intakes/', '/v1/help/articles/', '/v1/me/notifications'];
    expect(where((o) => o.statuses.includes('412'))).toEqual(
      writes.filter((id) => takesIfMatch.some((prefix) => id.includes(prefix))),
    );
  });
});
