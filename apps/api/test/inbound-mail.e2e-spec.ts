import { createHash } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import request from 'supertest';
import { AttachmentStore } from '@app/attachments';
import { loadOrCreateLocalSecret } from '@app/auth';
import { ChangeCase } from '@app/commands';
import { InboundSmtpServer } from '@app/inbound-mail';
import { METRICS, sampleValue, type Metrics } from '@app/observability';
import { ReplyAddresses } from '@app/timers';
import { CommandBus } from '@nestjs/cqrs';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET, type TestTokens } from './tokens';

const DOMAIN = 'reply.desk.example';
const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const SAML_LOG = '2026-03-02T09:14:07Z ERROR saml: invalid assertion (audience mismatch)\n'.repeat(40);

interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** What a nodemailer send came to: the server's answer, or its refusal. */
const outcome = (sending: Promise<{ response?: string }>) =>
  sending.then(
    (info) => ({ accepted: true, response: info.response }),
    (error: { responseCode?: number; response?: string; command?: string }) => ({
      accepted: false,
      responseCode: error.responseCode,
      response: error.response,
      command: error.command,
    }),
  );

/**
 * The customers' e-mail replies (libs/inbound-mail), through the listener the API runs
 * in-process in embedded mode (INBOUND_SMTP_PORT=0: a free port), with real SMTP from
 * nodemailer: the reply becomes a command on the case addressed by its signed Reply-To.
 */
describe('Inbound e-mail: a customer reply filed on its case', () => {
  let t: ApiTestApp;
  let tok: TestTokens;
  let addresses: ReplyAddresses;
  let smtp: Transporter;
  const http = () => request(t.app.getHttpServer());
  const events = async (id: string): Promise<RecordedEvent[]> =>
    (await http().get(`/v1/cases/${id}/events`).set(as(tok.auditor)).expect(200)).body.events;
  const openCase = async () =>
    (await http().post('/v1/cases').set(as(tok.admin)).send(openCaseBody).expect(201)).body.id as string;
  const askForLogs = (id: string) =>
    http()
      .post(`/v1/cases/${id}/info-requests`)
      .set(as(tok.agent))
      .send({ items: ['logs'], message: 'Could you send the SAML trace?' })
      .expect(200);
  const send = (message: SendMailOptions) => outcome(smtp.sendMail(message));

  beforeAll(async () => {
    t = await startApiTestApp({
      AUTH_SECRET: TEST_AUTH_SECRET,
      INBOUND_DOMAIN: DOMAIN,
      INBOUND_SMTP_PORT: '0',
      // a message may have 3 × this: 300 kB
      ATTACHMENT_MAX_BYTES: '100000',
    });
    tok = await testTokens();
    // the addresses the case e-mails carry: the same local secret and domain
    addresses = new ReplyAddresses(await loadOrCreateLocalSecret(t.dataDir, TEST_AUTH_SECRET), DOMAIN);
    const { port } = t.app.get(InboundSmtpServer).address()!;
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    smtp?.close();
    await t?.close();
  });

  it('a reply with a log to a case awaiting the customer becomes InfoProvided, the log stored and referenced; the same Message-ID again is recorded once', async () => {
    const id = await openCase();
    await askForLogs(id);
    const reply = {
      from: 'Ana Lima <ana@acme.example>',
      to: addresses.addressFor(id),
      subject: 'RE: SSO login fails for the whole sales team',
      messageId: '<reply-1@mail.acme.example>',
      text: [
        'Voici la trace demandée.',
        '',
        '-- ',
        'Ana Lima, IT ACME',
        '',
        'Le lun. 2 mars 2026 à 10:12, Support <support@desk.example> a écrit :',
        '> Could you send the SAML trace?',
      ].join('\n'),
      attachments: [{ filename: 'saml.log', content: SAML_LOG, contentType: 'text/plain' }],
    };

    const first = await send(reply);
    expect(first).toEqual({ accepted: true, response: `250 2.0.0 Recorded on case ${id}` });
    const provided = (await events(id)).filter((e) => e.type === 'InfoProvided');
    const sha256 = createHash('sha256').update(SAML_LOG).digest('hex');
    expect(provided).toHaveLength(1);
    expect(provided[0].data).toMatchObject({
      message: 'Voici la trace demandée.',
      byId: 'ana', // the requester, recorded as themselves
      endsWait: true,
      attachments: [{ name: 'saml.log', size: Buffer.byteLength(SAML_LOG), contentType: 'text/plain', sha256 }],
    });
    expect(provided[0].metadata).toMatchObject({
      actor: { id: 'ana', role: 'support-admin', org: 'acme.example' },
      idempotencyScope: `inbound-mail:${id}`,
      idempotencyKey: '<reply-1@mail.acme.example>',
    });
    expect(await new AttachmentStore(t.config.attachments).describe(sha256)).toEqual({
      size: Buffer.byteLength(SAML_LOG),
      contentType: 'text/plain',
      sha256,
    });
    const view = (await http().get(`/v1/cases/${id}`).set(as(tok.admin)).expect(200)).body;
    expect(view.status).toBe('open');

    // delivered again (a retrying server, a second route): answered, recorded once
    expect(await send(reply)).toEqual({ accepted: true, response: `250 2.0.0 Already recorded on case ${id}` });
    expect((await events(id)).filter((e) => e.type === 'InfoProvided')).toHaveLength(1);
    const metrics = await t.app.get<symbol, Metrics>(METRICS).render();
    expect(sampleValue(metrics, 'inbound_mail_total', { outcome: 'recorded' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(metrics, 'inbound_mail_total', { outcome: 'already-recorded' })).toBe(1);
  });

  it('refuses at RCPT an address whose signature does not match, or of another shape, and records nothing', async () => {
    const id = await openCase();
    const genuine = addresses.addressFor(id);
    const forged = genuine.replace(
      /\.([0-9a-f]+)@/,
      (_m, sig: string) => `.${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}@`,
    );
    for (const to of [forged, `support@${DOMAIN}`, genuine.replace(DOMAIN, 'other.example')]) {
      const refused = await send({ from: 'ana@acme.example', to, subject: 'x', text: 'Hello' });
      expect(refused).toMatchObject({ accepted: false, responseCode: 550, command: 'RCPT TO' });
      expect(refused.response).toContain('550 5.1.1');
      expect(refused.response).toContain('is not the address of a support case');
    }
    expect((await events(id)).map((e) => e.type)).not.toContain('CustomerReplied');
  });

  it("refuses a sender who is neither the requester nor of the organisation's domain; a colleague of the organisation is recorded under their address", async () => {
    const id = await openCase();
    for (const from of ['mallory@evil.example', 'ana@eu.acme.example', 'ana.lima@gmail.com']) {
      const refused = await send({ from, to: addresses.addressFor(id), subject: 'RE', text: 'Please close it.' });
      expect(refused).toMatchObject({ accepted: false, responseCode: 550, command: 'DATA' });
      expect(refused.response).toContain('550 5.7.1');
      expect(refused.response).toContain('may not answer this case by e-mail');
    }
    expect((await events(id)).map((e) => e.type)).not.toContain('CustomerReplied');

    const colleague = await send({
      from: 'bob@acme.example',
      to: addresses.addressFor(id),
      subject: 'RE',
      text: 'It also fails for me.\n\nOn Mon, 2 Mar 2026 at 10:12, Support wrote:\n> Looking.',
    });
    expect(colleague.accepted).toBe(true);
    const replied = (await events(id)).find((e) => e.type === 'CustomerReplied')!;
    expect(replied.data).toMatchObject({ message: 'It also fails for me.', byId: 'bob@acme.example' });
    expect(replied.metadata.actor).toEqual({ id: 'bob@acme.example', role: 'support-admin', org: 'acme.example' });
  });

  it('refuses a reply with nothing of its own (only the quote)', async () => {
    const id = await openCase();
    await askForLogs(id);
    const refused = await send({
      from: 'ana@acme.example',
      to: addresses.addressFor(id),
      subject: 'RE',
      text: 'On Mon, 2 Mar 2026 at 10:12, Support <support@desk.example> wrote:\n> Could you send the SAML trace?\n',
    });
    expect(refused).toMatchObject({ accepted: false, responseCode: 550 });
    expect(refused.response).toContain('550 5.6.0 Your message has nothing of its own');
    expect((await events(id)).map((e) => e.type)).not.toContain('InfoProvided');
  });

  it('refuses a message over 3 × ATTACHMENT_MAX_BYTES (552, SIZE), and a file over ATTACHMENT_MAX_BYTES (552 5.3.4)', async () => {
    const id = await openCase();
    await askForLogs(id);
    const withLog = (bytes: number) => ({
      from: 'ana@acme.example',
      to: addresses.addressFor(id),
      subject: 'RE',
      text: 'The log.',
      attachments: [{ filename: 'big.log', content: 'x'.repeat(bytes - 1) + '\n' }],
    });
    const tooBig = await send(withLog(400_000));
    expect(tooBig).toMatchObject({ accepted: false, responseCode: 552, command: 'DATA' });
    expect(tooBig.response).toContain('552 5.3.4 The message is larger than 300000 bytes');
    const fileTooBig = await send(withLog(150_000));
    expect(fileTooBig).toMatchObject({ accepted: false, responseCode: 552, command: 'DATA' });
    expect(fileTooBig.response).toContain('552 5.3.4 The attachment "big.log" is larger than 100000 bytes');
    expect((await events(id)).map((e) => e.type)).not.toContain('InfoProvided');
  });

  it('refuses a reply to a closed case, saying to open a new case; nothing is recorded', async () => {
    const id = await openCase();
    await http().post(`/v1/cases/${id}/responses`).set(as(tok.agent)).send({ message: 'Looking.' }).expect(200);
    await http()
      .post(`/v1/cases/${id}/resolution`)
      .set(as(tok.agent))
      .send({ outcome: 'solved', summary: 'Certificate renewed.' })
      .expect(200);
    // the auto-close timer's command (R15)
    await t.app.get(CommandBus).execute(
      new ChangeCase({
        caseId: id,
        command: { type: 'CloseCase', caseId: id, actor: { id: 'system:auto-close', role: 'system' } },
      }),
    );
    const before = (await events(id)).length;

    const refused = await send({
      from: 'ana@acme.example',
      to: addresses.addressFor(id),
      subject: 'RE: Your case is resolved',
      text: 'It fails again.',
      attachments: [{ filename: 'again.log', content: 'ERROR again\n' }],
    });
    expect(refused).toMatchObject({ accepted: false, responseCode: 550, command: 'DATA' });
    expect(refused.response).toContain(`550 5.2.1 Case ${id} is closed`);
    expect(refused.response).toContain('open a new case');
    expect(await events(id)).toHaveLength(before);
    // refused before any file was stored
    const sha = createHash('sha256').update('ERROR again\n').digest('hex');
    expect(await new AttachmentStore(t.config.attachments).has(sha)).toBe(false);
  });
});
