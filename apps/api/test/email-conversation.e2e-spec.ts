import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import request from 'supertest';
import { InboundSmtpServer } from '@app/inbound-mail';
import { waitFor } from '@app/testing';
import { TimerScheduler } from '@app/timers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { smtpServer } from './smtp-server';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const NBSP = '\u00a0';
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const DOMAIN = 'reply.support.test';
const SAML_LOG = '2026-03-02T09:14:07Z ERROR saml: invalid assertion (audience mismatch)\n'.repeat(25);
const NOTE = 'Tenant still on the legacy SAML connector; keep this between us.';

/**
 * A short test calendar: every day of the week works, 09:00–12:00 UTC. A business day is
 * three hours, there is no weekend to step over, and WAITING_REMINDER / WAITING_AUTO_CLOSE
 * (1 and 2 business days below) fall on the next two mornings.
 */
const SHORT_CALENDAR = {
  id: 'short-test',
  version: 1,
  name: 'Short test desk',
  description: 'Every day 09:00-12:00 UTC, no holidays: the e-mail conversation e2e.',
  timeZone: 'UTC',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['09:00-12:00']])),
  holidays: [],
};
const SHORT_POLICY = {
  version: 1,
  description: 'The e-mail conversation e2e: one business day to respond, every region on the short calendar.',
  firstResponseBusinessDays: { P1: 1, P2: 1, P3: 1, P4: 1 },
  resolutionBusinessDays: {},
  calendarByRegion: { emea: 'short-test', amer: 'short-test', apac: 'short-test', anz: 'short-test' },
  regionByTenant: {},
  defaultCalendar: 'short-test',
};

interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Issue 14's conversation end to end, with real SMTP both ways: the app's notification
 * e-mails go to an `smtp-server` the test runs, and the test's replies go to the app's own
 * inbound listener (INBOUND_SMTP_PORT=0), addressed to the Reply-To the app sent. Time is
 * the test app's manual clock over a short calendar.
 */
describe('The conversation by e-mail: information request, reply with a log, internal note, forged address, reminder and auto-close', () => {
  const outbox = smtpServer();
  let t: ApiTestApp;
  let tok: TestTokens;
  let inbound: Transporter;
  let configDir: string;
  let caseId: string;
  let replyTo: string;
  let logSha256: string;
  const http = () => request(t.app.getHttpServer());
  const tick = () => t.app.get(TimerScheduler).tick();
  const mailsOf = (id: string) => outbox.received.filter((r) => r.mail.headers.get('x-case-id') === id);
  const events = async (id: string, token = tok.auditor): Promise<RecordedEvent[]> =>
    (await http().get(`/v1/cases/${id}/events`).set(as(token)).expect(200)).body.events;
  const reply = (message: SendMailOptions) =>
    inbound.sendMail(message).then(
      (info) => ({ accepted: true, response: info.response as string }),
      (error: { responseCode?: number; response?: string; command?: string }) => ({
        accepted: false,
        responseCode: error.responseCode,
        response: error.response,
        command: error.command,
      }),
    );
  /** ticks the timers until the case has `count` e-mails, then gives the last one */
  const nextMail = async (id: string, count: number) => {
    await waitFor(
      async () => (await tick(), mailsOf(id).length >= count),
      () => `the case has ${mailsOf(id).length} e-mails, ${count} expected`,
    );
    return mailsOf(id)[count - 1];
  };

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'email-conversation-'));
    // the shipped calendars (the vendors' own), and the short one the cases use
    cpSync('config/calendars', join(configDir, 'calendars'), { recursive: true });
    writeFileSync(join(configDir, 'calendars', 'short-test.json'), JSON.stringify(SHORT_CALENDAR));
    writeFileSync(join(configDir, 'sla-policy.json'), JSON.stringify(SHORT_POLICY));
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      SMTP_URL: `smtp://127.0.0.1:${await outbox.listen()}`,
      SMTP_FROM: 'Support desk <support@desk.example>',
      PUBLIC_BASE_URL: 'https://support.test',
      INBOUND_DOMAIN: DOMAIN,
      INBOUND_SMTP_PORT: '0',
      CALENDARS_DIR: join(configDir, 'calendars'),
      SLA_POLICY_FILE: join(configDir, 'sla-policy.json'),
      WAITING_REMINDER: '1',
      WAITING_AUTO_CLOSE: '2',
      SURVEY_DELAY: '24h',
      // the test ticks the scheduler itself
      SCHEDULER_POLL: '5s',
    });
    tok = await testTokens();
    const { port } = t.app.get(InboundSmtpServer).address()!;
    inbound = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    inbound?.close();
    await t?.close();
    await outbox.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("an agent's information request reaches the customer of a French case, in French, with the case's signed Reply-To", async () => {
    caseId = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    await http().post(`/v1/cases/${caseId}/notes`).set(as(tok.agent)).send({ message: NOTE }).expect(200);
    await http()
      .post(`/v1/cases/${caseId}/info-requests`)
      .set(as(tok.agent))
      .send({ items: ['logs'], message: 'Pouvez-vous joindre la trace SAML de 9 h ?' })
      .expect(200);

    const { mail, rcpt } = await nextMail(caseId, 1);
    expect(rcpt).toEqual(['ana@acme.example']);
    expect(mail.headers.get('content-language')).toBe('fr');
    expect(mail.subject).toBe(
      `Informations nécessaires pour votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}»`,
    );
    expect(mail.text).toContain('- les fichiers journaux (logs)');
    expect(mail.text).toContain('Pouvez-vous joindre la trace SAML de 9 h ?');
    expect(mail.text).toContain(`https://support.test/v1/cases/${caseId}`);
    replyTo = mail.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^case\\+${caseId}\\.[0-9a-f]+@${DOMAIN.replaceAll('.', '\\.')}$`));
  });

  it('a forged reply address (another signature, or the address of another case) is refused at SMTP time, and nothing is recorded', async () => {
    const other: string = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    const before = (await events(caseId)).length;
    const lastDigitFlipped = replyTo.replace(/([0-9a-f])@/, (_m, d: string) => `${d === '0' ? '1' : '0'}@`);
    const anotherCase = replyTo.replace(caseId, other);
    for (const to of [lastDigitFlipped, anotherCase]) {
      const refused = await reply({ from: 'ana@acme.example', to, subject: 'RE', text: 'Close it, please.' });
      expect(refused).toMatchObject({ accepted: false, responseCode: 550, command: 'RCPT TO' });
      expect(refused.response).toContain('is not the address of a support case');
    }
    expect(await events(caseId)).toHaveLength(before);
    expect((await events(other)).map((e) => e.type)).not.toContain('CustomerReplied');
  });

  it("the customer's e-mail reply with a log attached becomes InfoProvided, and the log can be downloaded from the case", async () => {
    const sent = await reply({
      from: 'Ana Lima <ana@acme.example>',
      to: replyTo,
      subject: 'RE: Informations nécessaires',
      messageId: '<answer-1@mail.acme.example>',
      text: 'Voici la trace.\n\nLe lun. 2 mars 2026, Support a écrit :\n> Pouvez-vous joindre la trace SAML de 9 h ?',
      attachments: [{ filename: 'saml-trace.log', content: SAML_LOG, contentType: 'text/plain' }],
    });
    expect(sent).toEqual({ accepted: true, response: `250 2.0.0 Recorded on case ${caseId}` });

    logSha256 = createHash('sha256').update(SAML_LOG).digest('hex');
    const provided = (await events(caseId)).filter((e) => e.type === 'InfoProvided');
    expect(provided).toHaveLength(1);
    expect(provided[0].data).toMatchObject({
      message: 'Voici la trace.',
      byId: 'ana',
      endsWait: true,
      attachments: [
        { name: 'saml-trace.log', size: Buffer.byteLength(SAML_LOG), contentType: 'text/plain', sha256: logSha256 },
      ],
    });
    expect((await http().get(`/v1/cases/${caseId}`).set(as(tok.admin)).expect(200)).body.status).toBe('open');

    for (const token of [tok.admin, tok.agent]) {
      const file = await http()
        .get(`/v1/cases/${caseId}/attachments/${logSha256}`)
        .set(as(token))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(
        createHash('sha256')
          .update(file.body as Buffer)
          .digest('hex'),
      ).toBe(logSha256);
      expect(file.headers['content-disposition']).toBe('attachment; filename=saml-trace.log');
    }
    // the same access rules as the case: another organisation does not learn it exists
    await http().get(`/v1/cases/${caseId}/attachments/${logSha256}`).set(as(tok.otherOrgAdmin)).expect(404);
  });

  it('the internal note is invisible to the customer everywhere (the case, its events, every e-mail), and visible to staff', async () => {
    const customerView = (await http().get(`/v1/cases/${caseId}`).set(as(tok.admin)).expect(200)).text;
    expect(customerView).not.toContain(NOTE);
    const customerEvents = await http().get(`/v1/cases/${caseId}/events`).set(as(tok.admin)).expect(200);
    expect(customerEvents.text).not.toContain(NOTE);
    expect(customerEvents.body.events.map((e: RecordedEvent) => e.type)).not.toContain('InternalNoteAdded');
    const list = await http().get('/v1/cases').set(as(tok.admin)).expect(200);
    expect(list.text).not.toContain(NOTE);
    for (const { mail } of outbox.received) {
      expect(mail.text ?? '').not.toContain(NOTE);
      expect(String(mail.html ?? '')).not.toContain(NOTE);
    }

    for (const token of [tok.agent, tok.supervisor, tok.auditor]) {
      const notes = (await events(caseId, token)).filter((e) => e.type === 'InternalNoteAdded');
      expect(notes.map((e) => e.data.message)).toEqual([NOTE]);
    }
  });

  it('waiting on the customer: a reminder in French after one business day, then the case resolved no-customer-answer after two, which the customer can reopen', async () => {
    t.clock.set('2026-03-03T09:30:00Z'); // the next morning
    await http()
      .post(`/v1/cases/${caseId}/info-requests`)
      .set(as(tok.agent))
      .send({ items: ['reproduction-steps'], message: 'Quelles étapes mènent à l’erreur ?' })
      .expect(200);
    const asked = mailsOf(caseId).length + 1;
    await nextMail(caseId, asked);

    // one business day of the short calendar later (3 h of it): the reminder
    t.clock.set('2026-03-04T09:29:59Z');
    await tick();
    expect((await events(caseId)).map((e) => e.type)).not.toContain('CustomerReminded');
    t.clock.set('2026-03-04T09:30:00Z');
    const reminder = await nextMail(caseId, asked + 1);
    expect(reminder.mail.subject).toBe(
      `Rappel${NBSP}: votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}» attend votre réponse`,
    );
    expect(reminder.mail.text).toContain('- les étapes précises qui reproduisent le problème');
    expect(reminder.mail.replyTo?.value[0]?.address).toBe(replyTo);
    expect((await events(caseId)).filter((e) => e.type === 'CustomerReminded')).toHaveLength(1);

    // two business days in, unanswered: resolved, with the reason recorded and told
    t.clock.set('2026-03-05T09:30:00Z');
    const resolvedMail = await nextMail(caseId, asked + 2);
    const resolved = (await events(caseId)).filter((e) => e.type === 'Resolved');
    expect(resolved.map((e) => e.data.outcome)).toEqual(['no-customer-answer']);
    expect(resolvedMail.mail.subject).toBe(
      `Votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}» est résolue`,
    );
    expect(resolvedMail.mail.text).toContain('les informations demandées ne nous sont pas parvenues à temps');
    expect((await http().get(`/v1/cases/${caseId}`).set(as(tok.admin)).expect(200)).body.status).toBe('resolved');

    // the customer can reopen it
    await http()
      .post(`/v1/cases/${caseId}/reopen`)
      .set(as(tok.admin))
      .send({ reason: 'Voici enfin les étapes : connexion SSO depuis Chrome.' })
      .expect(200);
    expect((await http().get(`/v1/cases/${caseId}`).set(as(tok.admin)).expect(200)).body.status).toBe('open');
  });
});
