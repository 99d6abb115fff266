import request from 'supertest';
import { loadOrCreateLocalSecret } from '@app/auth';
import { toCaseStreamId } from '@app/case-domain';
import { SQL_DATABASE, type SqlDatabase } from '@app/event-store';
import { waitFor } from '@app/testing';
import { notificationsOf, ReplyAddresses, TIMER_INDEX_CHECKPOINT, TimerScheduler } from '@app/timers';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { smtpServer } from './smtp-server';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const NBSP = '\u00a0';
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The notification e-mails (docs/notifications.md) through a real SMTP server: an
 * information request reaches the customer of a French case in French, with the case's
 * signed Reply-To; it is sent once, even after the timer index is rebuilt from the log;
 * an e-mail the SMTP server could not take goes out on a later attempt.
 */
describe('notification e-mails, through a real SMTP server on loopback', () => {
  const smtp = smtpServer();
  let port: number;
  let t: ApiTestApp;
  let tok: TestTokens;
  let addresses: ReplyAddresses;
  const http = () => request(t.app.getHttpServer());
  const tick = () => t.app.get(TimerScheduler).tick();
  const mailsOf = (id: string) => smtp.received.filter((r) => r.mail.headers.get('x-case-id') === id);
  const rowsOf = async (id: string) => notificationsOf(t.app.get<SqlDatabase>(SQL_DATABASE), toCaseStreamId(id));

  beforeAll(async () => {
    port = await smtp.listen();
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_FROM: 'Support desk <support@desk.example>',
      PUBLIC_BASE_URL: 'https://support.test',
      INBOUND_DOMAIN: 'reply.support.test',
      SURVEY_DELAY: '24h',
      // the test ticks the scheduler itself; its own loop stays out of the way
      SCHEDULER_POLL: '5s',
    });
    tok = await testTokens();
    addresses = new ReplyAddresses(await loadOrCreateLocalSecret(t.dataDir, TEST_AUTH_SECRET), 'reply.support.test');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('an information request reaches the customer of a French case in French, with the signed Reply-To, once', async () => {
    const id: string = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    await http()
      .post(`/v1/cases/${id}/notes`)
      .set(as(tok.agent))
      .send({ message: 'Customer on the old connector; do not mention it.' })
      .expect(200);
    await http()
      .post(`/v1/cases/${id}/info-requests`)
      .set(as(tok.agent))
      .send({ items: ['logs', 'message-headers'], message: 'Pouvez-vous joindre le journal SAML de 9 h ?' })
      .expect(200);
    await tick();
    await waitFor(
      () => mailsOf(id).length > 0,
      () => 'no e-mail for the case',
    );

    // the opening and the internal note gave none: one e-mail, the information request's
    expect(mailsOf(id)).toHaveLength(1);
    const [{ mail, rcpt }] = mailsOf(id);
    expect(rcpt).toEqual(['ana@acme.example']);
    expect(mail.from?.value).toEqual([{ name: 'Support desk', address: 'support@desk.example' }]);
    expect(mail.subject).toBe(
      `Informations nécessaires pour votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}»`,
    );
    expect(mail.text).toContain('Bonjour,');
    expect(mail.text).toContain('- les fichiers journaux (logs)\n- les en-têtes des messages concernés');
    expect(mail.text).toContain('Pouvez-vous joindre le journal SAML de 9 h ?');
    expect(mail.text).toContain(`https://support.test/v1/cases/${id}`);
    expect(mail.text).not.toContain('old connector');
    expect(mail.headers.get('content-language')).toBe('fr');
    // the signed reply address of this case: a reply to it is filed on the case, and on no other
    const replyTo = mail.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toBe(addresses.addressFor(id));
    expect(addresses.caseOf(replyTo)).toBe(id);

    const [row] = await rowsOf(id);
    expect(row).toMatchObject({
      eventType: 'InfoRequested',
      language: 'fr',
      state: 'sent',
      attempts: 1,
      recipient: 'ana@acme.example',
      messageId: mail.messageId,
      sentAt: t.clock.now(),
    });

    // the timer index rebuilt from the start of the log: the row is found, nothing is sent again
    const db = t.app.get<SqlDatabase>(SQL_DATABASE);
    await db.query("DELETE FROM checkpoints WHERE component = 'timers' AND name = $1", [TIMER_INDEX_CHECKPOINT]);
    await tick();
    const { rows: checkpoints } = await db.query("SELECT 1 FROM checkpoints WHERE component = 'timers' AND name = $1", [
      TIMER_INDEX_CHECKPOINT,
    ]);
    expect(checkpoints).toHaveLength(1); // read again from the start
    t.clock.advance(60 * 60_000);
    await tick();
    expect(mailsOf(id)).toHaveLength(1);
    expect(await rowsOf(id)).toEqual([row]);
  });

  it("a person who turns off the e-mails of all their cases gets only the information requests; on again, the later events' e-mails", async () => {
    const me = () => http().get('/v1/me/notifications').set(as(tok.admin));
    expect((await me().expect(200)).body).toEqual({ email: 'ana@acme.example', enabled: true });
    const id: string = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    const off = await http().put('/v1/me/notifications').set(as(tok.admin)).send({ enabled: false }).expect(200);
    expect(off.body).toEqual({ email: 'ana@acme.example', enabled: false });
    expect(off.headers.etag).toBe('W/"1"');
    // the same setting again records nothing
    expect(
      (await http().put('/v1/me/notifications').set(as(tok.admin)).send({ enabled: false }).expect(200)).headers.etag,
    ).toBe('W/"1"');
    expect((await me().expect(200)).body.enabled).toBe(false);
    // a person sets their own only: staff have no such setting
    await http().put('/v1/me/notifications').set(as(tok.agent)).send({ enabled: false }).expect(403);

    await http().post(`/v1/cases/${id}/responses`).set(as(tok.agent)).send({ message: 'Nous regardons.' }).expect(200);
    await http()
      .post(`/v1/cases/${id}/info-requests`)
      .set(as(tok.agent))
      .send({ items: ['logs'], message: 'Le journal, svp.' })
      .expect(200);
    await tick();
    await waitFor(
      () => mailsOf(id).length > 0,
      () => 'no e-mail for the case',
    );
    await http().put('/v1/me/notifications').set(as(tok.admin)).send({ enabled: true }).expect(200);
    await http().post(`/v1/cases/${id}/info`).set(as(tok.admin)).send({ message: 'Le voici.' }).expect(200);
    await http().post(`/v1/cases/${id}/responses`).set(as(tok.agent)).send({ message: 'Merci, corrigé.' }).expect(200);
    await tick();
    await waitFor(
      () => mailsOf(id).length > 1,
      () => 'no e-mail after the setting was on again',
    );
    // off: the response gave none, the information request went out; on: the later response
    expect(mailsOf(id).map((r) => r.mail.subject)).toEqual([
      `Informations nécessaires pour votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}»`,
      `Nouvelle réponse sur votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}»`,
    ]);
    expect((await rowsOf(id)).map((r) => r.eventType)).toEqual(['InfoRequested', 'AgentResponded']);
    expect(mailsOf(id)[1].mail.text).toContain('Merci, corrigé.');

    // the timer index rebuilt from the start of the log plans the same: nothing more is queued
    const db = t.app.get<SqlDatabase>(SQL_DATABASE);
    await db.query("DELETE FROM checkpoints WHERE component = 'timers' AND name = $1", [TIMER_INDEX_CHECKPOINT]);
    await db.query('DELETE FROM contact_preferences');
    await tick();
    expect((await rowsOf(id)).map((r) => r.eventType)).toEqual(['InfoRequested', 'AgentResponded']);
  });

  it('keeps an e-mail the SMTP server could not take, and sends it on a later attempt', async () => {
    const id: string = (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id;
    await smtp.close(); // the SMTP server is down
    await http()
      .post(`/v1/cases/${id}/responses`)
      .set(as(tok.agent))
      .send({ message: 'Nous avons renouvelé le certificat.' })
      .expect(200);
    await tick(); // (or the scheduler's own loop, just before)
    const [waiting] = await rowsOf(id);
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringMatching(/ECONNREFUSED/) });

    await smtp.listen(port); // back
    expect((await tick()).notified).toEqual([]); // not before its backoff (30 s)
    t.clock.advance(30_000);
    await tick();
    await waitFor(
      () => mailsOf(id).length > 0,
      () => 'the e-mail did not go out once the SMTP server was back',
    );
    expect(mailsOf(id).map((r) => r.mail.subject)).toEqual([
      `Nouvelle réponse sur votre demande d’assistance «${NBSP}${openCaseBody.subject}${NBSP}»`,
    ]);
    expect(await rowsOf(id)).toMatchObject([{ state: 'sent', attempts: 2, recipient: 'ana@acme.example' }]);
  });
});
