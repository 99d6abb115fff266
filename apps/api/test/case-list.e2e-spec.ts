import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

describe('GET /v1/cases', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const ids: string[] = [];
  /** the log position of the last write: lists wait for it (read-your-writes) */
  let last = 0;
  const track = (r: request.Response) => {
    last = Math.max(last, Number(r.headers['x-log-position']));
    return r;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    for (const workaround of ['none', 'available', 'none', 'available', 'none'] as const) {
      t.clock.advance(60_000); // one case a minute: "newest first" has an order to show
      const r = track(await http().post('/v1/cases').set(as(tok.admin)).send({ ...openCaseBody, workaround }).expect(201));
      ids.push(r.body.id);
    }
    track(await http().post('/v1/cases').set(as(tok.otherOrgAdmin)).send(openCaseBody).expect(201));
    track(await http().post(`/v1/cases/${ids[0]}/resolution`).set(as(tok.agent)).send({ outcome: 'solved', summary: 'Done.' }).expect(200));
  });
  afterAll(() => t.close());

  it('shows customers their own organisation’s cases only, newest first (R3)', async () => {
    const r = await http().get(`/v1/cases?after=${last}`).set(as(tok.admin)).expect(200);
    expect(r.headers['x-read-model-caught-up']).toBe('true');
    expect(r.body.items.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(r.body.items.every((c: { tenant: string }) => c.tenant === 'acme.example')).toBe(true);
    expect(r.body.nextCursor).toBeUndefined();
  });

  it('shows supervisors every organisation', async () => {
    const r = await http().get(`/v1/cases?after=${last}`).set(as(tok.supervisor)).expect(200);
    expect(new Set(r.body.items.map((c: { tenant: string }) => c.tenant))).toEqual(new Set(['acme.example', 'globex.example']));
  });

  it('filters by status and priority', async () => {
    const resolved = await http().get(`/v1/cases?status=resolved&after=${last}`).set(as(tok.admin)).expect(200);
    expect(resolved.body.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    const p3 = await http().get('/v1/cases?priority=P3').set(as(tok.admin)).expect(200);
    expect(p3.body.items.map((c: { id: string }) => c.id)).toEqual([ids[3], ids[1]]);
  });

  it('pages with a cursor until the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await http()
        .get(`/v1/cases?limit=2&after=${last}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(as(tok.admin))
        .expect(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((c: { id: string }) => c.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a bad filter with a 400', async () => {
    await http().get('/v1/cases?status=lost').set(as(tok.admin)).expect(400);
    await http().get('/v1/cases?limit=0').set(as(tok.admin)).expect(400);
    const bad = await http().get('/v1/cases?cursor=bm90LWEtY3Vyc29y').set(as(tok.admin)).expect(400);
    expect(bad.body.code).toBe('HTTP.BAD_CURSOR');
  });

  it('says when it could not wait for a position the log has not reached', async () => {
    const r = await http().get(`/v1/cases?after=${last + 1_000_000}`).set(as(tok.admin)).expect(200);
    expect(r.headers['x-read-model-caught-up']).toBe('false');
  });
});
