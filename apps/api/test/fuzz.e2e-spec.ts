import fc from 'fast-check';
import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/**
 * Every route of the OpenAPI document the app serves, sent bad input of every kind the API
 * must refuse cleanly: malformed path parameters, out-of-range and non-numeric query values,
 * wrong types, unknown properties, NUL characters and unpaired surrogates, 1 MB strings,
 * `__proto__` and `constructor` keys, bodies nested without end, other media types, bad
 * headers; and every other method on every path. Each answer must be below 500, and each
 * error a problem document (`application/problem+json` with type, title, status, detail and
 * code). The process answers /health/live afterwards and Object.prototype stays clean.
 *
 * The random values come from fast-check with a fixed seed: a failure reproduces.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly items?: Schema;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly minimum?: number;
  readonly allOf?: readonly Schema[];
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema?: Schema;
}

interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Record<string, { readonly schema: Schema }> };
}

interface OpenApiDocument {
  readonly paths: Record<string, Partial<Record<Method, Operation>>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

/** One request to send: the URL is sent as written (already encoded). */
interface Probe {
  readonly label: string;
  readonly method: Method;
  readonly url: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
  /** raw body text and its content type */
  readonly body?: { readonly text: string; readonly type: string };
}

const SEED = 20_260_302;
const MB = 1024 * 1024;

/** encodeURIComponent that also encodes an unpaired surrogate (as its WTF-8 bytes) instead of throwing */
const encodeLoose = (text: string): string =>
  Array.from(text, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    }
    return encodeURIComponent(ch);
  }).join('');

/** Path parameter values, already encoded, that must never be a 500 */
const BAD_PATH_VALUES = [
  '%E0%A4%A', // truncated percent-encoding
  '%ZZ',
  'a'.repeat(5000),
  'a'.repeat(2048),
  '%00',
  'a%00b',
  '%ED%A0%80', // an encoded lone surrogate (invalid UTF-8)
  '__proto__',
  'constructor',
  'prototype',
  '-1',
  '1e99',
  '%F0%9F%98%80',
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
];

/** Query values, already encoded */
const BAD_QUERY_VALUES = [
  '1e99',
  '1e999',
  '-1',
  '1.5',
  '0x10',
  '99999999999999999999999999',
  'a%00b',
  'a%ED%A0%80b',
  '%E0%A4%A',
  '',
  'x'.repeat(10_000),
  '__proto__',
  '2026-02-30T25:61:00Z',
  '+275760-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
];

/** Values put in place of each body property */
const BAD_FIELD_VALUES: readonly unknown[] = [
  12345,
  1.5,
  true,
  null,
  [],
  {},
  { nested: { deeper: 'x' } },
  'a\u0000b',
  'a\ud800b',
  '',
  'x'.repeat(100_000),
  '2026-02-30T25:61:00Z',
  '__proto__',
];

/** Raw JSON values that JSON.stringify cannot make, put in place of each body property */
const RAW_FIELD_VALUES = ['1e999', '-1e999', '123456789012345678901234567890'];

describe('fuzz: every route of the OpenAPI document, bad input of every kind', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let doc: OpenApiDocument;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    doc = (await http().get('/docs-json').expect(200)).body as OpenApiDocument;
  });
  afterAll(() => t.close());

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };

  /** A plausible value for a schema: its example, its first enum value, or one of its type. */
  const sampleOf = (raw: Schema | undefined, depth = 0): unknown => {
    const schema = resolve(raw);
    if (schema.example !== undefined) return schema.example;
    if (schema.enum?.length) return schema.enum[0];
    switch (schema.type) {
      case 'string':
        if (schema.format === 'uuid') return crypto.randomUUID();
        if (schema.format === 'date-time') return '2026-03-02T10:00:00Z';
        return 'fuzz';
      case 'number':
      case 'integer':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return depth > 3 ? [] : [sampleOf(schema.items, depth + 1)];
      default:
        if (schema.properties && depth <= 3) {
          return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, sampleOf(v, depth + 1)]));
        }
        return {};
    }
  };

  it('answers every probe below 500, every error as a problem document, and stays up', async () => {
    // a case and an incident to aim the path parameters at
    const caseId = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id as string;
    const incidentId = (
      await http()
        .post('/v1/incidents')
        .set(as(tok.supervisor))
        .send({ title: 'SSO down', services: ['sso'], startedAt: '2026-03-02T08:00:00Z' })
        .expect(201)
    ).body.id as string;

    const pathValue = (path: string, name: string): string => {
      if (name === 'id' && /^\/v1\/(audit\/)?cases\//.test(path)) return caseId;
      if (name === 'id' && path.startsWith('/v1/incidents/')) return incidentId;
      if (name === 'id' && path.startsWith('/v1/vendors/')) return 'north-desk';
      if (name === 'id' && /queues/.test(path)) return 'fr-P1';
      if (name === 'name') return 'backlog';
      return 'not-a-token';
    };
    const fill = (path: string, override?: { name: string; value: string }) =>
      path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        override?.name === name ? override.value : encodeURIComponent(pathValue(path, name)),
      );

    const randomStrings = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed: SEED, numRuns: 300 });
    const randomJson = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: SEED + 1, numRuns: 300 });
    let nextRandom = 0;
    const aRandomString = () => randomStrings[nextRandom++ % randomStrings.length];
    const aRandomJson = () => randomJson[nextRandom++ % randomJson.length];

    const tokens: [string, string][] = [
      ['admin', tok.admin],
      ['agent', tok.agent],
      ['supervisor', tok.supervisor],
      ['auditor', tok.auditor],
    ];

    const probes: Probe[] = [];
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      (Object.entries(ops) as [Method, Operation][]).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(30);

    for (const { path, method, op } of operations) {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const schema = op.requestBody ? resolve(Object.values(op.requestBody.content)[0]?.schema) : undefined;
      const validBody = schema ? (sampleOf(schema) as Record<string, unknown>) : undefined;
      const json = (value: unknown) => ({ text: JSON.stringify(value), type: 'application/json' });
      const base = fill(path);

      // the role that gets past the guards: the first whose baseline request is not a 401 or 403
      let token = tok.admin;
      for (const [, candidate] of tokens) {
        const r = await send({
          label: 'baseline',
          method,
          url: base,
          token: candidate,
          body: validBody && json(validBody),
        });
        if (r.status !== 401 && r.status !== 403) {
          token = candidate;
          break;
        }
      }
      const probe = (label: string, p: Omit<Probe, 'label' | 'method' | 'token'> & { method?: Method }) =>
        probes.push({ method, token, ...p, label: `${method.toUpperCase()} ${path}: ${label}` });

      for (const param of pathParams) {
        for (const value of BAD_PATH_VALUES) {
          probe(`path ${param.name}=${value.slice(0, 30)}`, {
            url: fill(path, { name: param.name, value }),
            body: validBody && json(validBody),
          });
        }
      }

      for (const param of queryParams) {
        const values = [...BAD_QUERY_VALUES.map((v) => [v]), ['1', '2'], ['a', 'b', 'c']];
        // random strings, but not for `after`: a valid position not reached yet waits 2 s
        if (param.name !== 'after') for (let i = 0; i < 3; i++) values.push([encodeLoose(aRandomString())]);
        for (const vs of values) {
          probe(`query ${param.name}=${vs.join('&').slice(0, 30)}`, {
            url: `${base}?${vs.map((v) => `${param.name}=${v}`).join('&')}`,
          });
        }
      }
      for (const query of [
        'unknownParameter=1',
        '__proto__[polluted]=1',
        '__proto__=1',
        'constructor[prototype][polluted]=1',
        'a[b][c][d][e][f][g]=1',
        `${'k'.repeat(5000)}=1`,
        '%00=1',
        '&&&==&=',
      ]) {
        probe(`query ${query.slice(0, 30)}`, { url: `${base}?${query}` });
      }

      if (validBody) {
        const properties = Object.keys(schema?.properties ?? {});
        const withField = (field: string, value: unknown) => ({ ...validBody, [field]: value });
        for (const field of properties) {
          for (const value of BAD_FIELD_VALUES) {
            probe(`body ${field}=${JSON.stringify(value).slice(0, 30)}`, {
              url: base,
              body: json(withField(field, value)),
            });
          }
          for (let i = 0; i < 2; i++) {
            const value = aRandomJson();
            probe(`body ${field}=${JSON.stringify(value).slice(0, 30)} (random)`, {
              url: base,
              body: json(withField(field, value)),
            });
          }
          // raw JSON: numbers JSON.stringify cannot write, escapes in the text itself
          for (const raw of RAW_FIELD_VALUES) {
            probe(`body ${field}=${raw} (raw)`, {
              url: base,
              body: {
                text: JSON.stringify(withField(field, 'x')).replace(JSON.stringify('x'), raw),
                type: 'application/json',
              },
            });
          }
          // a nested object's own fields: NUL and wrong types one level down
          const nested = resolve(schema?.properties?.[field]);
          const nestedSchema = nested.type === 'array' ? resolve(nested.items) : nested;
          for (const inner of Object.keys(nestedSchema.properties ?? {})) {
            const sample = sampleOf(nestedSchema) as Record<string, unknown>;
            for (const value of ['a\u0000b', 'a\ud800b', 42, null, ['x']]) {
              const innerValue = { ...sample, [inner]: value };
              probe(`body ${field}.${inner}=${JSON.stringify(value)}`, {
                url: base,
                body: json(withField(field, nested.type === 'array' ? [innerValue] : innerValue)),
              });
            }
          }
        }
        const text = JSON.stringify(validBody);
        const bodies: [string, string, string][] = [
          ['unknown property', JSON.stringify({ ...validBody, unknownProperty: 1 }), 'application/json'],
          ['__proto__ key', text.replace(/^\{/, '{"__proto__":{"polluted":true},'), 'application/json'],
          ['__proto__ key nested', text.replace(/^\{/, '{"x":{"__proto__":{"polluted":true}},'), 'application/json'],
          [
            'constructor.prototype key',
            text.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'),
            'application/json',
          ],
          ['constructor key', text.replace(/^\{/, '{"constructor":"x",'), 'application/json'],
          ['prototype key', text.replace(/^\{/, '{"prototype":{"polluted":true},'), 'application/json'],
          ['NUL in a key', text.replace(/^\{/, '{"a\\u0000b":1,'), 'application/json'],
          ['surrogate in a key', text.replace(/^\{/, '{"\\ud800":1,'), 'application/json'],
          ['a string body', '"x"', 'application/json'],
          ['a null body', 'null', 'application/json'],
          ['a number body', '1e999', 'application/json'],
          ['an array body', `[${text}]`, 'application/json'],
          ['an empty body', '', 'application/json'],
          ['whitespace', '   ', 'application/json'],
          ['malformed JSON', text.slice(0, -1), 'application/json'],
          ['trailing garbage', `${text}x`, 'application/json'],
          ['5,000 nested objects', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), 'application/json'],
          ['100,000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000), 'application/json'],
          [
            'a deep value in a field',
            text.replace(/^\{/, `{"x":${'['.repeat(40)}${']'.repeat(40)},`),
            'application/json',
          ],
          [
            '1 MB string field',
            JSON.stringify({ ...validBody, [properties[0] ?? 'x']: 'x'.repeat(MB) }),
            'application/json',
          ],
          [
            '900 KB string field',
            JSON.stringify({ ...validBody, [properties[0] ?? 'x']: 'x'.repeat(900 * 1024) }),
            'application/json',
          ],
          [
            'many properties',
            JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))),
            'application/json',
          ],
          [
            'a long array',
            JSON.stringify({ ...validBody, [properties[0] ?? 'x']: Array.from({ length: 20_000 }, () => 1) }),
            'application/json',
          ],
          ['a form', 'message=x&rating=5', 'application/x-www-form-urlencoded'],
          ['text', text, 'text/plain'],
          ['XML', '<a/>', 'application/xml'],
          [
            'multipart',
            '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b--',
            'multipart/form-data; boundary=b',
          ],
          ['a malformed Content-Type', text, 'json'],
          ['JSON in latin1', text, 'application/json; charset=latin1'],
          ['a +json type', text, 'application/vnd.fuzz+json'],
        ];
        for (const [label, bodyText, type] of bodies) probe(label, { url: base, body: { text: bodyText, type } });

        // headers the write door reads
        const headers: Record<string, string>[] = [
          { 'if-match': 'garbage' },
          { 'if-match': 'W/"1e99"' },
          { 'if-match': 'W/"99999999999999999999"' },
          { 'if-match': '*' },
          { 'idempotency-key': 'k'.repeat(300) },
          { 'idempotency-key': ' ' },
          { 'x-correlation-id': 'c'.repeat(5000) },
        ];
        for (const h of headers)
          probe(`header ${JSON.stringify(h).slice(0, 40)}`, { url: base, headers: h, body: json(validBody) });
      }
    }

    // the methods no route has, on every path
    for (const path of Object.keys(doc.paths)) {
      for (const method of ['delete', 'patch', 'options', 'put'] as const) {
        if (doc.paths[path][method]) continue;
        probes.push({
          label: `${method.toUpperCase()} ${path} (no such route)`,
          method,
          url: fill(path),
          token: tok.admin,
        });
      }
    }

    // bounded: a few thousand requests for the whole file
    expect(probes.length).toBeLessThan(5000);

    const failures: string[] = [];
    const pending = [...probes];
    const worker = async () => {
      for (let p = pending.shift(); p; p = pending.shift()) {
        const r = await send(p);
        const fault = faultOf(r);
        if (fault) failures.push(`${p.label} → ${r.status}: ${fault}`);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    expect(failures.slice(0, 50)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await http().get('/health/live').expect(200);
    await http().get('/health/ready').expect(200);
  });

  /** the paths whose answer is a stream that does not end (GET /v1/events/stream: server-sent events) */
  const streamed = () =>
    Object.entries(doc.paths)
      .filter(([, ops]) => JSON.stringify(ops.get ?? {}).includes('"text/event-stream"'))
      .map(([path]) => path);

  /**
   * Reads an answer to its end, except a `text/event-stream`, which is cut after its first chunk
   * (the stream opened, as a 200 should): the check is that bad input never opens one.
   */
  const untilFirstEvent = (
    res: NodeJS.ReadableStream & { headers: Record<string, string | undefined>; destroy(): void },
    done: (error: Error | null, body: unknown) => void,
  ) => {
    const stream = /^text\/event-stream/.test(res.headers['content-type'] ?? '');
    let text = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      if (stream) res.destroy();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      done(null, body);
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      if (stream) finish();
    });
    res.on('end', finish);
    res.on('error', finish);
  };

  const send = async (p: Probe): Promise<request.Response> => {
    let req = http()[p.method](p.url);
    if (p.token) req = req.set(as(p.token));
    for (const [name, value] of Object.entries(p.headers ?? {})) req = req.set(name, value);
    if (p.body) req = req.set('content-type', p.body.type).send(p.body.text);
    const path = p.url.split('?')[0];
    if (p.method === 'get' && streamed().includes(path)) req = req.buffer(true).parse(untilFirstEvent as never);
    return req;
  };

  /** What is wrong with an answer, or undefined */
  const faultOf = (r: request.Response): string | undefined => {
    if (r.status >= 500) return `a ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`;
    if (r.status < 400) return undefined;
    if (!/^application\/problem\+json/.test(r.headers['content-type'] ?? '')) {
      return `not a problem document: ${r.headers['content-type']} ${r.text.slice(0, 200)}`;
    }
    const b = r.body as Record<string, unknown>;
    const shape =
      typeof b.type === 'string' &&
      typeof b.title === 'string' &&
      b.status === r.status &&
      typeof b.detail === 'string' &&
      typeof b.code === 'string';
    return shape ? undefined : `not the problem shape: ${r.text.slice(0, 300)}`;
  };
});
