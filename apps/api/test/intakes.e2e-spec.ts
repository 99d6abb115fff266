import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { ChangeArticle } from '@app/commands';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { loadHelpArticlesFile } from '@app/help-centre';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const caseRequest = {
  subject: 'SAML sign-in broken for everyone',
  description: 'Since this morning every user gets "invalid assertion" from the identity provider.',
  channel: 'chat',
  language: 'en',
  impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: true },
  workaround: 'none',
} as const;

/**
 * The help assistant before a case exists (R5–R8), walked over HTTP: suggest → search again
 * → deflected; suggest → attached to a recent case (the message on that case, no new case);
 * suggest → problem described → a case opened with the intake's answers.
 */
describe('the help assistant: /v1/intakes (R5–R8)', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let recentCaseId: string;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const start = (token: string, description: string, language = 'en') =>
    http().post('/v1/intakes').set(as(token)).send({ description, language, product: 'cloud-identity-premium' });
  const caseCount = async () => {
    const r = await http().get('/v1/cases?limit=100').set(as(tok.supervisor)).expect(200);
    return r.body.items.length as number;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET });
    tok = await testTokens();
    const commands = t.app.get(CommandBus);
    const starter = loadHelpArticlesFile(join(__dirname, '../../../config/help-articles.json'));
    let position = 0;
    for (const article of starter) {
      const r = await commands.execute(
        new ChangeArticle({
          command: { type: 'CreateArticle', article, actor: { id: 'seed', role: 'system' } },
          actor: { id: 'seed', role: 'system' },
        }),
      );
      position = Math.max(position, r.position ?? 0);
    }
    const opened = await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
    recentCaseId = opened.body.id;
    const registry = t.app.get<ProjectionRegistry>(PROJECTIONS);
    // the starter set, as the API seeds it at start; read-your-writes: the suggestions and the recent cases come from the read models
    await registry.get('help-articles').waitForPosition(position, 60_000);
    await http().get(`/v1/cases?after=${opened.headers['x-log-position']}`).set(as(tok.admin)).expect(200);
  });
  afterAll(() => t?.close());

  it('suggests articles, searches again, and records the deflection (R5)', async () => {
    const started = await start(
      tok.admin,
      'Users cannot sign in with SAML single sign-on: invalid assertion error',
    ).expect(201);
    expect(started.headers.location).toBe(`/v1/intakes/${started.body.id}`);
    expect(started.body).toMatchObject({
      status: 'suggesting',
      language: 'en',
      product: 'cloud-identity-premium',
      searches: 0,
    });
    expect(started.body.suggestions[0]).toMatchObject({
      articleId: 'sso-saml-errors-en',
      title: 'Fix errors when users sign in through SAML single sign-on',
      url: '/v1/help/articles/sso-saml-errors-en',
      version: 1,
    });
    expect(started.body.suggestions.every((s: { score: number }) => s.score > 0)).toBe(true);
    // R6: the organisation's recent case is offered, with what the admin needs to recognise it
    expect(started.body.recentCases).toEqual([
      { id: recentCaseId, subject: openCaseBody.subject, status: 'open', openedAt: expect.any(String) },
    ]);

    const again = await http()
      .post(`/v1/intakes/${started.body.id}/searches`)
      .set(as(tok.admin))
      .send({ query: 'reset a user password' })
      .expect(200);
    expect(again.body.searches).toBe(1);
    expect(again.body.suggestions[0].articleId).toBe('user-password-reset-en');

    const notShown = await http()
      .post(`/v1/intakes/${started.body.id}/deflection`)
      .set(as(tok.admin))
      .send({ articleId: 'sso-sign-in-loop-fr' })
      .expect(409);
    expect(notShown.body.code).toBe('INTAKE.ARTICLE_NOT_SUGGESTED');

    const deflected = await http()
      .post(`/v1/intakes/${started.body.id}/deflection`)
      .set(as(tok.admin))
      .send({ articleId: 'user-password-reset-en' })
      .expect(200);
    expect(deflected.body).toMatchObject({
      status: 'deflected',
      deflectedBy: { articleId: 'user-password-reset-en', articleVersion: 1 },
    });
    // the same answer again changes nothing; anything else is refused with a sentence
    await http()
      .post(`/v1/intakes/${started.body.id}/deflection`)
      .set(as(tok.admin))
      .send({ articleId: 'user-password-reset-en' })
      .expect(200);
    const late = await http()
      .post(`/v1/intakes/${started.body.id}/case`)
      .set(as(tok.admin))
      .send(caseRequest)
      .expect(409);
    expect(late.body.code).toBe('INTAKE.ALREADY_ENDED');
    expect(late.body.detail).toMatch(/an article solved the problem/);

    const { events } = await t.app.get<EventStore>(EVENT_STORE).readStream(`intake-${started.body.id}`);
    expect(events.map((e) => e.type)).toEqual([
      'IntakeStarted',
      'ArticlesSuggested',
      'RecentCasesOffered',
      'SearchRepeated',
      'ArticlesSuggested',
      'Deflected',
    ]);
    expect(events.every((e) => e.metadata.tenant === 'acme.example')).toBe(true);
  });

  it('puts the message on a recent case of the same problem, and opens no case (R6)', async () => {
    const before = await caseCount();
    const started = await start(tok.admin, 'SSO login fails again for the sales team').expect(201);
    expect(started.body.recentCases.map((c: { id: string }) => c.id)).toEqual([recentCaseId]);
    const attached = await http()
      .post(`/v1/intakes/${started.body.id}/recent-case`)
      .set(as(tok.admin))
      .send({ caseId: recentCaseId, message: 'Same problem again: the sales team is locked out since 14:00.' })
      .expect(200);
    expect(attached.body).toMatchObject({ status: 'attached', caseId: recentCaseId });
    const history = await http().get(`/v1/cases/${recentCaseId}/events`).set(as(tok.admin)).expect(200);
    const last = history.body.events.at(-1);
    expect(last).toMatchObject({
      type: 'CustomerReplied',
      data: { message: 'Same problem again: the sales team is locked out since 14:00.' },
    });
    // a retry changes nothing: the message is on the case once
    await http()
      .post(`/v1/intakes/${started.body.id}/recent-case`)
      .set(as(tok.admin))
      .send({ caseId: recentCaseId, message: 'Same problem again: the sales team is locked out since 14:00.' })
      .expect(200);
    const again = await http().get(`/v1/cases/${recentCaseId}/events`).set(as(tok.admin)).expect(200);
    expect(again.body.events).toHaveLength(history.body.events.length);
    expect(await caseCount()).toBe(before);
  });

  it('R3: another organisation’s case or intake is unknown', async () => {
    const theirs = await start(tok.otherOrgAdmin, 'SSO login fails').expect(201);
    expect(theirs.body.recentCases).toEqual([]); // acme's case is not offered to globex
    const attach = await http()
      .post(`/v1/intakes/${theirs.body.id}/recent-case`)
      .set(as(tok.otherOrgAdmin))
      .send({ caseId: recentCaseId, message: 'Me too' })
      .expect(404);
    expect(attach.body.code).toBe('CASE.NOT_FOUND');
    expect((await http().get(`/v1/intakes/${theirs.body.id}`).set(as(tok.otherOrgAdmin)).expect(200)).body.status).toBe(
      'suggesting',
    );
    const peek = await http().get(`/v1/intakes/${theirs.body.id}`).set(as(tok.admin)).expect(404);
    expect(peek.body.code).toBe('INTAKE.NOT_FOUND');
    await http()
      .post(`/v1/intakes/${theirs.body.id}/deflection`)
      .set(as(tok.admin))
      .send({ articleId: 'sso-saml-errors-en' })
      .expect(404);
    // R1: an administrator without the support privilege never reaches the assistant
    const refused = await start(tok.customerAdmin, 'SSO login fails').expect(403);
    expect(refused.body.code).toBe('AUTH.MISSING_PRIVILEGE');
    // R2: nor does a consumer account
    const consumer = await start(tok.consumer, 'SSO login fails').expect(403);
    expect(consumer.body.code).toBe('AUTH.CONSUMER_ACCOUNT');
  });

  it('still needing help, opens the case with the intake’s answers; its Opened names the intake (R7, R8)', async () => {
    const started = await start(tok.admin, 'Notre SSO SAML renvoie une erreur d’assertion invalide', 'fr').expect(201);
    expect(started.body.suggestions[0].articleId).toBe('sso-saml-errors-fr'); // French first
    await http()
      .post(`/v1/intakes/${started.body.id}/problem`)
      .set(as(tok.admin))
      .send({ problemCategory: 'sso' })
      .expect(200);
    const opened = await http()
      .post(`/v1/intakes/${started.body.id}/case`)
      .set(as(tok.admin))
      .send({ ...caseRequest, language: 'fr' })
      .expect(201);
    expect(opened.headers.location).toBe(`/v1/cases/${opened.body.id}`);
    expect(opened.body).toMatchObject({
      intakeId: started.body.id,
      subject: caseRequest.subject,
      product: 'cloud-identity-premium', // the intake's product, not typed twice
      channel: 'chat',
      language: 'fr',
      priority: 'P1',
      status: 'open',
    });
    const intake = await http().get(`/v1/intakes/${started.body.id}`).set(as(tok.admin)).expect(200);
    expect(intake.body).toMatchObject({ status: 'case-requested', caseId: opened.body.id, problemCategory: 'sso' });
    expect(intake.headers.etag).toBe(`W/"${intake.body.version}"`);
    // a retry answers the same case, and opens nothing more
    const retried = await http()
      .post(`/v1/intakes/${started.body.id}/case`)
      .set(as(tok.admin))
      .send({ ...caseRequest, language: 'fr' })
      .expect(201);
    expect(retried.body.id).toBe(opened.body.id);
    const events = await http().get(`/v1/cases/${opened.body.id}/events`).set(as(tok.admin)).expect(200);
    expect(events.body.events.filter((e: { type: string }) => e.type === 'Opened')).toHaveLength(1);
    expect(events.body.events[0].data).toMatchObject({ intakeId: started.body.id, requester: { id: 'ana' } });
    // a deflection after the case was requested is refused with a sentence
    const late = await http()
      .post(`/v1/intakes/${started.body.id}/deflection`)
      .set(as(tok.admin))
      .send({ articleId: 'sso-saml-errors-fr' })
      .expect(409);
    expect(late.body.detail).toContain(`case ${opened.body.id}`);
  });

  it('the deflection report counts each ending of the walk exactly', async () => {
    // the walk's last intake write, for read-your-writes
    const { checkpoint } = await t.app.get<EventStore>(EVENT_STORE).readAll({ limit: 100_000 });
    const r = await http()
      .get('/v1/reports/deflection')
      .query({
        from: '2026-03-02T00:00:00Z',
        to: '2026-03-03T00:00:00Z',
        groupBy: 'none',
        after: checkpoint.globalPosition,
      })
      .set(as(tok.supervisor))
      .expect(200);
    expect(r.body.caughtUp).toBe(true);
    // acme: deflected, attached, case requested; globex: still open (R3 walk)
    expect(r.body.total).toMatchObject({
      intakes: 4,
      deflected: 1,
      attachedToRecentCase: 1,
      casesOpened: 1,
      abandoned: 0,
      stillOpen: 1,
      deflectionRate: 0.25,
      topDeflectingArticles: [{ articleId: 'user-password-reset-en', deflections: 1 }],
    });
  });

  it('POST /v1/cases still opens a case without an intake', async () => {
    const r = await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
    expect(r.body.intakeId).toBeUndefined();
  });
});
