import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { waitFor } from '@app/testing';
import { TimerScheduler } from '@app/timers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const DAY = 86_400_000;
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const linkIn = (mail: ParsedMail, base: string) => {
  const match = new RegExp(`${base.replace(/[.]/g, '\\.')}/console/survey/([\\w.-]+)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no survey link in: ${mail.text}`);
  return match[1];
};

/** Opens, answers and resolves a case; resolves to its id. */
const resolvedCase = async (t: ApiTestApp, tok: TestTokens) => {
  const http = request(t.app.getHttpServer());
  const opened = await http.post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201);
  const id: string = opened.body.id;
  await request(t.app.getHttpServer())
    .post(`/v1/cases/${id}/responses`)
    .set(as(tok.agent))
    .send({ message: 'Looking.' })
    .expect(200);
  const resolved = await request(t.app.getHttpServer())
    .post(`/v1/cases/${id}/resolution`)
    .set(as(tok.agent))
    .send({ outcome: 'solved', summary: 'Certificate renewed.' })
    .expect(200);
  return { id, resolved: resolved.body };
};

describe('R15: the survey e-mail, through a real SMTP server on loopback', () => {
  let smtp: SMTPServer;
  let t: ApiTestApp;
  let tok: TestTokens;
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  // the case's notification e-mails (docs/notifications.md) reach the same server: the survey's are these
  const surveys = () => received.filter((m) => m.headers.has('x-survey-id'));

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        envelopes.push(session.envelope.rcptTo.map((r) => r.address));
        simpleParser(stream).then(
          (mail) => (received.push(mail), callback()),
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_FROM: 'Support desk <support@desk.example>',
      PUBLIC_BASE_URL: 'https://support.test',
      SURVEY_DELAY: '24h',
      SCHEDULER_POLL: '20ms',
    });
    tok = await testTokens();
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('sends it SURVEY_DELAY after the resolution; its link answers the survey once, without a login', async () => {
    const { id, resolved } = await resolvedCase(t, tok);
    expect(resolved.survey).toEqual({ sent: false, answered: false }); // the timer sends it, 24 h later
    const scheduler = t.app.get(TimerScheduler);
    await scheduler.tick();
    expect(surveys()).toHaveLength(0);

    t.clock.advance(DAY);
    await scheduler.tick();
    await waitFor(
      () => surveys().length === 1,
      () => `${surveys().length} survey messages received`,
    );
    const [mail] = surveys();
    expect(envelopes[received.indexOf(mail)]).toEqual(['ana@acme.example']);
    expect(mail.from?.value).toEqual([{ name: 'Support desk', address: 'support@desk.example' }]);
    // the case is French (openCaseBody.language): so is its survey (docs/notifications.md)
    expect(mail.subject).toBe(
      `Votre avis compte\u00a0: votre demande d’assistance «\u00a0${openCaseBody.subject}\u00a0»`,
    );
    expect(mail.headers.get('x-case-id')).toBe(id);
    // the link opens the web console's survey page, which answers through /v1/surveys/{token}
    expect(mail.html).toContain('https://support.test/console/survey/');
    // R15: what a reply does, and until when: the auto-close, AUTO_CLOSE_DAYS (7) after the resolution
    const closesAt = new Date(Date.parse(resolved.resolvedAt) + 7 * DAY).toISOString().slice(0, 16).replace('T', ' ');
    expect(mail.text).toContain(
      `Si le problème n’est pas résolu, répondez sur la demande avant le ${closesAt} UTC\u00a0: votre réponse la rouvre.`,
    );

    const token = linkIn(mail, 'https://support.test');
    const state = await request(t.app.getHttpServer()).get(`/v1/surveys/${token}`).expect(200);
    expect(state.body).toMatchObject({
      surveyId: `${id}:survey:1`,
      caseSubject: openCaseBody.subject,
      answered: false,
      // the case's, so that the console's survey page speaks it
      language: openCaseBody.language,
    });

    const answered = await request(t.app.getHttpServer())
      .post(`/v1/surveys/${token}`)
      .send({ rating: 4, comment: 'Quick and clear.' })
      .expect(200);
    expect(answered.body).toEqual({
      surveyId: `${id}:survey:1`,
      rating: 4,
      comment: 'Quick and clear.',
      answeredAt: t.clock.now().toISOString(),
    });

    const history = await request(t.app.getHttpServer()).get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200);
    const events = history.body.events as {
      type: string;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }[];
    expect(events.map((e) => e.type)).toEqual([
      'Opened',
      'Routed',
      'AgentResponded',
      'Resolved',
      'SurveySent',
      'SurveyAnswered',
    ]);
    expect(events[4].data).toMatchObject({
      surveyId: `${id}:survey:1`,
      byId: 'system:survey-sender',
      at: t.clock.now().toISOString(),
    });
    expect(events[5]).toMatchObject({
      data: { surveyId: `${id}:survey:1`, rating: 4, comment: 'Quick and clear.', cycle: 1, byId: 'ana' },
      metadata: { actor: { id: 'ana', role: 'survey-respondent' }, tenant: 'acme.example' },
    });

    // single use: the same link again is refused by the domain
    const again = await request(t.app.getHttpServer()).post(`/v1/surveys/${token}`).send({ rating: 1 }).expect(409);
    expect(again.body).toMatchObject({ code: 'CASE.SURVEY_ALREADY_ANSWERED' });
    await request(t.app.getHttpServer())
      .get(`/v1/surveys/${token}`)
      .expect(200)
      .expect((r) => expect(r.body.answered).toBe(true));

    // the timer does not send it twice
    t.clock.advance(DAY);
    await scheduler.tick();
    expect(surveys()).toHaveLength(1);
  });

  it('refuses a forged, foreign or expired link with 404, and a bad answer with 400', async () => {
    const { id } = await resolvedCase(t, tok);
    t.clock.advance(DAY);
    await t.app.get(TimerScheduler).tick();
    await waitFor(
      () => surveys().some((m) => m.headers.get('x-case-id') === id),
      () => 'no survey mail for the second case',
    );
    const token = linkIn(
      surveys().find((m) => m.headers.get('x-case-id') === id)!,
      'https://support.test',
    );
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [forged, tok.admin, 'not-a-token'])
      await request(t.app.getHttpServer())
        .post(`/v1/surveys/${bad}`)
        .send({ rating: 5 })
        .expect(404)
        .expect((r) => expect(r.body).toMatchObject({ code: 'SURVEY.INVALID_LINK' }));
    await request(t.app.getHttpServer()).post(`/v1/surveys/${token}`).send({ rating: 6 }).expect(400);
    t.clock.advance(91 * DAY);
    await request(t.app.getHttpServer())
      .post(`/v1/surveys/${token}`)
      .send({ rating: 5 })
      .expect(404)
      .expect((r) => expect(r.body).toMatchObject({ code: 'SURVEY.INVALID_LINK' }));
  });

  it('documents the public survey route in the OpenAPI document, without a bearer requirement', async () => {
    const doc = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    const survey = doc.body.paths['/v1/surveys/{token}'];
    expect(Object.keys(survey).sort()).toEqual(['get', 'post']);
    // public, explicitly: no credentials to send
    expect(survey.post.security).toEqual([]);
    expect(survey.get.security).toEqual([]);
    expect(doc.body.paths['/v1/cases/{id}'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.body.components.schemas.CaseViewResponse.properties).toHaveProperty('sla');
  });
});

describe('R15: with no SMTP server configured, the survey e-mail lands in DATA_DIR/outbox', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  beforeAll(async () => {
    t = await startApiTestApp({ AUTH_SECRET: TEST_AUTH_SECRET, SCHEDULER_POLL: '20ms' }); // SURVEY_DELAY=0
    tok = await testTokens();
  });
  afterAll(() => t.close());

  it('writes one .eml file per survey, whose link answers it', async () => {
    const { id, resolved } = await resolvedCase(t, tok);
    expect(resolved.survey).toMatchObject({ sent: true, answered: false }); // sent at once with a delay of 0
    const outbox = join(t.dataDir, 'outbox');
    const emlFiles = (): string[] => {
      try {
        // the survey's, not the case's notification e-mails (docs/notifications.md)
        return readdirSync(outbox).filter((f) => f.endsWith('.eml') && f.includes('_survey.'));
      } catch {
        return [];
      }
    };
    await waitFor(
      () => emlFiles().length > 0,
      () => 'no .eml file in the outbox',
    );
    const files = emlFiles();
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox, files[0])));
    expect(mail.to && 'text' in mail.to ? mail.to.text : undefined).toBe('ana@acme.example');
    const token = linkIn(mail, 'http://127.0.0.1:3000');
    await request(t.app.getHttpServer()).post(`/v1/surveys/${token}`).send({ rating: 5 }).expect(200);
    const view = await request(t.app.getHttpServer()).get(`/v1/cases/${id}`).set(as(tok.admin)).expect(200);
    expect(view.body.survey).toMatchObject({ sent: true, answered: true, rating: 5, surveyId: `${id}:survey:1` });
  });
});
