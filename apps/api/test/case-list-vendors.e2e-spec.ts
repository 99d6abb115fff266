import request from 'supertest';
import { issueLocalToken } from '@app/auth';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/**
 * GET /v1/cases for agents (R4): the vendor filter runs in SQL, so an agent whose cases are
 * few and spread across the log still gets full pages, and the last page has no cursor.
 */
describe('GET /v1/cases for agents: only their vendor’s cases, in full pages (R4)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  /**
   * Agents who speak both languages, so that only the vendor keeps the other vendor's cases
   * from them: north-desk's agent (vendor A) and south-desk's (vendor B).
   */
  let northAgent: string;
  let southAgent: string;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** newest first, as the list orders them */
  const north: string[] = [];
  const south: string[] = [];
  let last = 0;

  /** every page an agent gets with `limit`, following nextCursor until there is none */
  const pages = async (token: string, limit: number) => {
    const seen: { ids: string[]; nextCursor?: string }[] = [];
    let cursor: string | undefined;
    do {
      const r = await http()
        .get(`/v1/cases?limit=${limit}&after=${last}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(as(token))
        .expect(200);
      expect(r.headers['x-read-model-caught-up']).toBe('true');
      seen.push({ ids: r.body.items.map((c: { id: string }) => c.id), nextCursor: r.body.nextCursor });
      cursor = r.body.nextCursor;
    } while (cursor);
    return seen;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    const agent = (sub: string, vendor: string) =>
      issueLocalToken(
        TEST_AUTH_SECRET,
        { role: 'agent', sub, email: `${sub}@${vendor}.example`, vendor, languages: ['fr', 'de'], regions: ['emea'] },
        { expiresIn: '1h' },
      );
    northAgent = await agent('noa', 'north-desk');
    southAgent = await agent('ida', 'south-desk');
    // 30 cases a minute apart: French ones go to north-desk (the only vendor speaking French),
    // German ones to south-desk; 5 French among them, spread across the log
    for (let i = 0; i < 30; i += 1) {
      t.clock.advance(60_000);
      const french = i % 6 === 2;
      const r = await http()
        .post('/v1/cases')
        .set(as(tok.admin))
        .send({ ...openCaseBody, language: french ? 'fr' : 'de' })
        .expect(201);
      // as staff see it: the routing is not in the customer's answer
      const asStaff = await http().get(`/v1/cases/${r.body.id}`).set(as(tok.supervisor)).expect(200);
      expect(asStaff.body.routing.vendorId).toBe(french ? 'north-desk' : 'south-desk');
      (french ? north : south).unshift(r.body.id);
      last = Math.max(last, Number(r.headers['x-log-position']));
    }
    expect(north).toHaveLength(5);
  });
  afterAll(() => t.close());

  it('an agent of a vendor with 5 cases among 30, paging by 2, gets 2, 2, 1 and then no cursor', async () => {
    const seen = await pages(northAgent, 2);
    expect(seen.map((p) => p.ids.length)).toEqual([2, 2, 1]);
    expect(seen.map((p) => p.nextCursor === undefined)).toEqual([false, false, true]);
    expect(seen.flatMap((p) => p.ids)).toEqual(north);
  });

  it('a page as large as the agent’s cases has no cursor either', async () => {
    expect(await pages(northAgent, 5)).toEqual([{ ids: north, nextCursor: undefined }]);
    // and one who speaks only French sees the same
    expect((await pages(tok.otherAgent, 2)).flatMap((p) => p.ids)).toEqual(north);
  });

  it('an agent of another vendor never sees them, even speaking their language', async () => {
    const seen = (await pages(southAgent, 4)).flatMap((p) => p.ids);
    expect(seen).toEqual(south);
    expect(seen.some((id) => north.includes(id))).toBe(false);
    expect((await pages(tok.germanAgent, 50)).flatMap((p) => p.ids)).toEqual(south);
  });

  it('lists exactly the cases the agent may open (canSeeCase)', async () => {
    for (const id of north) await http().get(`/v1/cases/${id}`).set(as(northAgent)).expect(200);
    await http().get(`/v1/cases/${south[0]}`).set(as(northAgent)).expect(404);
    await http().get(`/v1/cases/${north[0]}`).set(as(southAgent)).expect(404);
  });

  it('supervisors still see every case', async () => {
    expect((await pages(tok.supervisor, 50)).flatMap((p) => p.ids)).toHaveLength(30);
  });

  it('matches languages as canSeeCase does: an agent speaking fr lists a fr-CA case', async () => {
    t.clock.advance(60_000);
    const r = await http()
      .post('/v1/cases')
      .set(as(tok.admin))
      .send({ ...openCaseBody, language: 'fr-CA' })
      .expect(201);
    const asStaff = await http().get(`/v1/cases/${r.body.id}`).set(as(tok.supervisor)).expect(200);
    expect(asStaff.body.routing.vendorId).toBe('north-desk');
    last = Number(r.headers['x-log-position']);
    await http().get(`/v1/cases/${r.body.id}`).set(as(tok.otherAgent)).expect(200);
    expect((await pages(tok.otherAgent, 2)).flatMap((p) => p.ids)).toEqual([r.body.id, ...north]);
  });
});
