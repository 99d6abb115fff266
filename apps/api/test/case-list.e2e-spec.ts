import request from 'supertest';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

describe('GET /v1/cases', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    for (const workaround of ['none', 'available', 'none', 'available', 'none'] as const) {
      const r = await http().post('/v1/cases').set(as(tok.admin)).send({ ...openCaseBody, workaround }).expect(201);
      ids.push(r.body.id);
    }
    await http().post('/v1/cases').set(as(tok.otherOrgAdmin)).send(openCaseBody).expect(201);
    await http().post(`/v1/cases/${ids[0]}/resolution`).set(as(tok.agent)).send({ outcome: 'solved', summary: 'Done.' }).expect(200);
  });
  afterAll(() => t.close());

  it('shows customers their own organisation’s cases only, newest first (R3)', async () => {
    const r = await http().get('/v1/cases').set(as(tok.admin)).expect(200);
    expect(r.body.items.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(r.body.items.every((c: { tenant: string }) => c.tenant === 'acme.example')).toBe(true);
    expect(r.body.nextCursor).toBeUndefined();
  });

  it('shows supervisors every organisation', async () => {
    const r = await http().get('/v1/cases').set(as(tok.supervisor)).expect(200);
    expect(new Set(r.body.items.map((c: { tenant: string }) => c.tenant))).toEqual(new Set(['acme.example', 'globex.example']));
  });

  it('filters by status and priority', async () => {
    const resolved = await http().get('/v1/cases?status=resolved').set(as(tok.admin)).expect(200);
    expect(resolved.body.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    const p3 = await http().get('/v1/cases?priority=P3').set(as(tok.admin)).expect(200);
    expect(p3.body.items.map((c: { id: string }) => c.id)).toEqual([ids[3], ids[1]]);
  });

  it('pages with a cursor until the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await http()
        .get(`/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
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
  });
});
