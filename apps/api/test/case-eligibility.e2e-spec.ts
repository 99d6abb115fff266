import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { issueLocalToken, type PrincipalClaims } from '@app/auth';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

/**
 * Policy holes closed by the hardening audit: R2 for the organisation a token names, R3 for
 * the case an open says it follows (`relatedCaseId`), R4 for the agent a case is assigned to.
 */
describe('who may be named: organisations (R2), related cases (R3), assignees (R4)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const sign = (claims: PrincipalClaims) => issueLocalToken(TEST_AUTH_SECRET, claims, { expiresIn: '1h' });
  const open = async (token = tok.admin, body: object = openCaseBody) =>
    (await http().post('/v1/cases').set(as(token)).send(body).expect(201)).body;
  const assign = (id: string, token: string, body: object = {}) =>
    http().post(`/v1/cases/${id}/assignment`).set(as(token)).send(body);
  /** any request: the API records the agent the token shows */
  const signIn = (token: string) => http().get('/v1/queues').set(as(token)).expect(200);
  const agentEvents = async (sub: string) =>
    (await t.app.get<EventStore>(EVENT_STORE).readStream(`agent-${sub}`)).events.map((e) => [e.type, e.data]);

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
  });
  afterAll(() => t.close());

  describe('R3: the case an open follows (relatedCaseId)', () => {
    it('records a case of the same organisation', async () => {
      const first = await open();
      const second = await open(tok.admin, { ...openCaseBody, relatedCaseId: first.id });
      expect(second.relatedCaseId).toBe(first.id);
    });

    it('answers an unknown id and another organisation’s case alike: 404, nothing opened', async () => {
      const theirs = await open(tok.otherOrgAdmin);
      const unknown = randomUUID();
      const before = (await http().get('/v1/cases').set(as(tok.admin)).expect(200)).body.items.length;
      const answers = [];
      for (const relatedCaseId of [unknown, theirs.id]) {
        const r = await http()
          .post('/v1/cases')
          .set(as(tok.admin))
          .send({ ...openCaseBody, relatedCaseId })
          .expect(404);
        expect(r.body).toMatchObject({ status: 404, code: 'CASE.NOT_FOUND' });
        answers.push(JSON.stringify({ ...r.body, instance: undefined }).replace(relatedCaseId, '<id>'));
        expect(r.body.detail).toBe(`The related case ${relatedCaseId} (relatedCaseId) does not exist.`);
      }
      expect(answers[0]).toBe(answers[1]);
      expect((await http().get('/v1/cases').set(as(tok.admin)).expect(200)).body.items).toHaveLength(before);
    });
  });

  describe('R4: a case is assigned only to someone who may work it', () => {
    it('records an agent from the first token they present, once, and again when the claims change', async () => {
      const kim = await sign({
        role: 'agent',
        sub: 'kim',
        email: 'kim@north.example',
        vendor: 'north-desk',
        languages: ['fr'],
        regions: ['emea'],
      });
      await signIn(kim);
      await signIn(kim);
      const moved = await sign({
        role: 'agent',
        sub: 'kim',
        email: 'kim@south.example',
        vendor: 'south-desk',
        languages: ['de', 'fr'],
        regions: ['emea'],
      });
      await signIn(moved);
      expect(await agentEvents('kim')).toEqual([
        ['AgentSeen', expect.objectContaining({ agentId: 'kim', vendorId: 'north-desk', languages: ['fr'] })],
        [
          'AgentProfileChanged',
          expect.objectContaining({
            vendorId: 'south-desk',
            languages: ['de', 'fr'],
            previous: expect.objectContaining({ vendorId: 'north-desk' }),
          }),
        ],
      ]);
      // no address is recorded
      expect(JSON.stringify(await agentEvents('kim'))).not.toMatch(/@/);
    });

    it('a supervisor assigns a French case of north-desk to its agents who speak French, and reassigns it', async () => {
      const { id } = await open();
      await signIn(tok.agent); // eve: north-desk, fr and en
      await signIn(tok.otherAgent); // max: north-desk, fr
      expect((await assign(id, tok.supervisor, { agentId: 'eve' }).expect(200)).body.assigneeId).toBe('eve');
      expect((await assign(id, tok.supervisor, { agentId: 'max' }).expect(200)).body.assigneeId).toBe('max');
      // the agent who holds it sees it
      await http().get(`/v1/cases/${id}`).set(as(tok.otherAgent)).expect(200);
    });

    it.each([
      ['an agent nobody knows', 'nobody-at-all', /no agent with this id is known/],
      ['an agent of another vendor', 'uwe', /works for vendor south-desk and the case is routed to vendor north-desk/],
      ['an agent of the vendor who does not speak the language', 'ned', /speaks en and the case is in fr/],
    ])('refuses %s with 409 CASE.AGENT_NOT_ELIGIBLE, and writes nothing', async (_, agentId, sentence) => {
      await signIn(tok.germanAgent); // uwe: south-desk, de
      await signIn(
        await sign({
          role: 'agent',
          sub: 'ned',
          email: 'ned@north.example',
          vendor: 'north-desk',
          languages: ['en'],
          regions: ['emea'],
        }),
      );
      const { id, version } = await open();
      const r = await assign(id, tok.supervisor, { agentId }).expect(409);
      expect(r.body).toMatchObject({ status: 409, code: 'CASE.AGENT_NOT_ELIGIBLE' });
      expect(r.body.detail).toMatch(new RegExp(`^Agent ${agentId} cannot be assigned case ${id}: `));
      expect(r.body.detail).toMatch(sentence);
      const after = (await http().get(`/v1/cases/${id}`).set(as(tok.supervisor)).expect(200)).body;
      expect(after).toMatchObject({ version });
      expect(after.assigneeId).toBeUndefined();
    });

    it('an agent claims a case of their vendor; a supervisor may claim any case for themselves', async () => {
      const first = await open();
      expect((await assign(first.id, tok.agent).expect(200)).body.assigneeId).toBe('eve');
      await assign(first.id, tok.germanAgent).expect(404); // another vendor's case is unknown to them (R4)
      const second = await open();
      expect((await assign(second.id, tok.supervisor).expect(200)).body.assigneeId).toBe('sam');
    });
  });

  describe('R2: an organisation on a consumer domain', () => {
    it('is refused like a consumer address, even with a company address and the privilege', async () => {
      const gmailOrg = await sign({
        role: 'support-admin',
        sub: 'gina',
        email: 'gina@acme.example',
        org: 'gmail.com',
        privileges: ['support'],
      });
      const r = await http().post('/v1/cases').set(as(gmailOrg)).send(openCaseBody).expect(403);
      expect(r.body).toMatchObject({ status: 403, code: 'AUTH.CONSUMER_ACCOUNT' });
      expect(r.body.detail).toMatch(/gmail\.com, a consumer e-mail domain, not an organisation/);
      await http().get('/v1/cases').set(as(gmailOrg)).expect(403);
    });
  });
});
