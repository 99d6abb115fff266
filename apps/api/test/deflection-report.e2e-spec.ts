import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { caseIdForIntake } from '@app/commands';
import { waitFor } from '@app/testing';
import { intakeSteps } from '../../../libs/commands/src/testing/intake-steps';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DAY = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
const at = (hhmm: string, day = 2) => `2026-03-0${day}T${hhmm}:00.000Z`;

/**
 * GET /v1/reports/deflection (R5–R8): intakes written through the door (ChangeIntake on the
 * app's CommandBus), counted exactly; the in-process intake sweep abandons the idle one and
 * opens the case a request was left without. One app for the file.
 *
 * Monday 2 March 2026 (the period), shown articles in brackets:
 *   i7 drive fr  08:00 [kb-e]        idle: abandoned by the sweep on Tuesday
 *   i1 drive fr  09:00 [kb-a kb-b]   deflected by kb-a
 *   i2 drive en  09:10 [kb-a kb-c]   deflected by kb-a
 *   i3 mail fr   09:20 [kb-c]        case requested and opened (the API's path)
 *   i4 mail fr   09:30 [kb-b]        attached to a recent case
 *   i5 -    en   09:40 [kb-d]        still open
 *   i8 mail fr   09:50 [kb-c]        case requested, not opened (a crash): opened by the sweep
 * and, on Sunday 1 March (outside the period), i6 drive fr [kb-b] deflected by kb-b.
 */
describe('the deflection report (R5–R8): exact counts from the intakes’ events, JSON and CSV', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  const http = () => request(t.app.getHttpServer());
  const report = (query: Record<string, string>, token = tok.supervisor) =>
    http()
      .get('/v1/reports/deflection')
      .query({ ...DAY, ...query })
      .set(as(token));

  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, SCHEDULER_POLL: '20ms' });
    tok = await testTokens();
    const step = intakeSteps(t.app.get(CommandBus), t.clock);
    await step.start('i6', { product: 'drive', shown: ['kb-b'] }, at('09:00', 1));
    await step.deflect('i6', 'kb-b', at('09:05', 1));
    await step.start('i7', { product: 'drive', shown: ['kb-e'] }, at('08:00'));
    await step.start('i1', { product: 'drive', shown: ['kb-a', 'kb-b'] }, at('09:00'));
    await step.deflect('i1', 'kb-a', at('09:05'));
    await step.start('i2', { product: 'drive', language: 'en', shown: ['kb-a', 'kb-c'] }, at('09:10'));
    await step.deflect('i2', 'kb-a', at('09:15'));
    await step.start('i3', { product: 'mail', shown: ['kb-c'] }, at('09:20'));
    await step.openCase(await step.requestCase('i3', at('09:25')), at('09:25'));
    await step.start('i4', { product: 'mail', shown: ['kb-b'], recentCaseIds: ['c-older'] }, at('09:30'));
    await step.attach('i4', 'c-older', at('09:35'));
    await step.start('i5', { language: 'en', shown: ['kb-d'] }, at('09:40'));
    await step.start('i8', { product: 'mail', shown: ['kb-c'] }, at('09:50'));
    await step.requestCase('i8', at('09:55'));
    // Tuesday 08:30: i7 has been idle for more than a day (INTAKE_ABANDON_AFTER, 24 h), i5 not yet;
    // i8's case is long overdue: the sweep running in the API (embedded mode) does both
    t.clock.set(at('08:30', 3));
    await waitFor(
      async () =>
        (
          await http()
            .get(`/v1/cases/${caseIdForIntake('i8')}`)
            .set(as(tok.admin))
        ).status === 200,
      () => 'the sweep never opened the case of i8',
    );
    await waitFor(
      async () => (await report({ groupBy: 'none' })).body.total?.abandoned === 1,
      () => 'the sweep never abandoned i7',
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('counts every intake of the period once, by how it ended, with the exact rate and the articles', async () => {
    const res = await report({}).expect(200);
    expect(res.body).toMatchObject({
      report: 'deflection',
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      groupBy: 'product',
      columns: [
        'product',
        'intakes',
        'deflected',
        'attachedToRecentCase',
        'casesOpened',
        'abandoned',
        'stillOpen',
        'deflectionRate',
        'topDeflectingArticles',
        'articlesNeverHelpful',
      ],
      caughtUp: true,
    });
    expect(res.body.definition).toMatch(/deflectionRate = deflected \/ intakes/);
    expect(res.body.total).toEqual({
      intakes: 7,
      deflected: 2,
      attachedToRecentCase: 1,
      casesOpened: 2,
      abandoned: 1,
      stillOpen: 1,
      deflectionRate: 2 / 7,
      topDeflectingArticles: [{ articleId: 'kb-a', deflections: 2 }],
      // kb-b deflected i6, but on Sunday: in this period it never helped
      articlesNeverHelpful: [
        { articleId: 'kb-c', intakesShown: 3 },
        { articleId: 'kb-b', intakesShown: 2 },
        { articleId: 'kb-d', intakesShown: 1 },
        { articleId: 'kb-e', intakesShown: 1 },
      ],
    });
    expect(res.body.rows).toEqual([
      {
        product: '(none)',
        intakes: 1,
        deflected: 0,
        attachedToRecentCase: 0,
        casesOpened: 0,
        abandoned: 0,
        stillOpen: 1,
        deflectionRate: 0,
        topDeflectingArticles: [],
        articlesNeverHelpful: [{ articleId: 'kb-d', intakesShown: 1 }],
      },
      {
        product: 'drive',
        intakes: 3,
        deflected: 2,
        attachedToRecentCase: 0,
        casesOpened: 0,
        abandoned: 1,
        stillOpen: 0,
        deflectionRate: 2 / 3,
        topDeflectingArticles: [{ articleId: 'kb-a', deflections: 2 }],
        articlesNeverHelpful: [
          { articleId: 'kb-b', intakesShown: 1 },
          { articleId: 'kb-c', intakesShown: 1 },
          { articleId: 'kb-e', intakesShown: 1 },
        ],
      },
      {
        product: 'mail',
        intakes: 3,
        deflected: 0,
        attachedToRecentCase: 1,
        casesOpened: 2,
        abandoned: 0,
        stillOpen: 0,
        deflectionRate: 0,
        topDeflectingArticles: [],
        articlesNeverHelpful: [
          { articleId: 'kb-c', intakesShown: 2 },
          { articleId: 'kb-b', intakesShown: 1 },
        ],
      },
    ]);
    const byArticle = await report({ groupBy: 'article' }).expect(200);
    expect(byArticle.body.rows.map((r: Record<string, unknown>) => [r.article, r.intakes, r.deflected])).toEqual([
      ['(none)', 5, 0],
      ['kb-a', 2, 2],
    ]);
    const byLanguage = await report({ groupBy: 'language' }).expect(200);
    expect(byLanguage.body.rows.map((r: Record<string, unknown>) => [r.language, r.intakes, r.deflectionRate])).toEqual(
      [
        ['en', 2, 0.5],
        ['fr', 5, 0.2],
      ],
    );
    expect((await report({ groupBy: 'week' }).expect(200)).body.rows).toEqual([
      expect.objectContaining({ week: '2026-W10', intakes: 7 }),
    ]);
  });

  it('answers CSV with Accept: text/csv: a list is one cell, the total is the last line', async () => {
    const res = await report({}).set('Accept', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="deflection_.*\.csv"/);
    expect(res.text).toBe(
      [
        'product,intakes,deflected,attachedToRecentCase,casesOpened,abandoned,stillOpen,deflectionRate,topDeflectingArticles,articlesNeverHelpful',
        '(none),1,0,0,0,0,1,0,,kb-d:1',
        'drive,3,2,0,0,1,0,0.6666666666666666,kb-a:2,kb-b:1 kb-c:1 kb-e:1',
        'mail,3,0,1,2,0,0,0,,kb-c:2 kb-b:1',
        '(total),7,2,1,2,1,1,0.2857142857142857,kb-a:2,kb-c:3 kb-b:2 kb-d:1 kb-e:1',
        '',
      ].join('\r\n'),
    );
  });

  it('is for supervisors and auditors, lists its definition, refuses another grouping; as of a moment for auditors', async () => {
    await report({}, tok.agent).expect(403);
    await report({}, tok.admin).expect(403);
    await report({}, tok.auditor).expect(200);
    await report({ groupBy: 'priority' }).expect(400);
    const list = await http().get('/v1/reports').set(as(tok.supervisor)).expect(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({
        name: 'deflection',
        defaultGroupBy: 'product',
        groupBy: ['none', 'product', 'language', 'article', 'week'],
      }),
    );
    // Monday 09:16, as the log stood: i7, i1 and i2 started, the two deflected
    const asOf = await http()
      .get('/v1/audit/reports/deflection')
      .query({ ...DAY, asOf: '2026-03-02T09:16:00Z', groupBy: 'none' })
      .set(as(tok.auditor))
      .expect(200);
    expect(asOf.body.rows).toEqual([asOf.body.total]);
    expect(asOf.body.total).toMatchObject({
      intakes: 3,
      deflected: 2,
      stillOpen: 1,
      abandoned: 0,
      deflectionRate: 2 / 3,
    });
  });
});
