import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { AttachmentStore } from '@app/attachments';
import { createAccessPolicy } from '@app/auth';
import { toCaseStreamId, type CaseCommand } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { ChangeCase, standaloneDoor, type CommandDoor } from '@app/commands';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { ReplyAddresses } from '@app/timers';
import { testSla } from '../../sla/src/testing/test-sla';
import { InboundMailbox } from './inbound-mailbox';
import { MailRefused } from './mail-refusal';

const CASE = '5b0c7d3e-8f1a-4c2b-9d6e-0a1b2c3d4e5f';
const admin = { id: 'ana', role: 'support-admin' };
const agent = { id: 'eve', role: 'agent' };
/** a 1×1 PNG */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
/** what a mail client would send, as the bytes of DATA */
const compose = async (message: SendMailOptions): Promise<Buffer> =>
  (await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(message)).message as Buffer;

/**
 * The mailbox without the SMTP server, over PGlite and a store in a temporary directory:
 * what the e2e spec does not reach (HTML-only mail, embedded images, a mail without
 * Message-ID, files on a reply that answers no request).
 */
describe('InboundMailbox: a message filed on its case', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  let dir: string;
  let attachments: AttachmentStore;
  let mailbox: InboundMailbox;
  const addresses = new ReplyAddresses(Buffer.alloc(32, 7), 'reply.desk.example');
  const write = (command: CaseCommand) => door.execute(new ChangeCase({ caseId: CASE, command }));
  const events = async () => (await handle.store.readStream(toCaseStreamId(CASE))).events;

  beforeAll(async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    handle = await createEventStore({ clock });
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'inbound-mailbox-'));
    attachments = new AttachmentStore({ dir, maxBytes: 1_000_000 });
    mailbox = new InboundMailbox({
      store: handle.store,
      commands: door,
      attachments,
      addresses,
      isConsumerDomain: createAccessPolicy().isConsumerDomain,
      clock,
    });
    await write({
      type: 'OpenCase',
      caseId: CASE,
      actor: admin,
      tenant: 'acme.example',
      requester: { id: 'ana', email: 'ana@acme.example' },
      subject: 'SSO login fails',
      description: 'Nobody can sign in.',
      product: 'cloud-identity',
      language: 'fr',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
      workaround: 'none',
    });
  });
  afterAll(async () => {
    await handle.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the case of a signed address, and refuses any other', () => {
    expect(mailbox.caseOf(addresses.addressFor(CASE).toUpperCase())).toBe(CASE);
    expect(() => mailbox.caseOf(`case+${CASE}.0000000000000000@reply.desk.example`)).toThrow(MailRefused);
  });

  it('an HTML-only reply from Outlook in French: the text without the quoted block; an embedded image is not kept, an attached one is', async () => {
    await write({ type: 'RequestInfo', caseId: CASE, actor: agent, agentId: 'eve', items: ['logs'], message: 'Logs?' });
    const raw = await compose({
      from: 'ana@acme.example',
      to: addresses.addressFor(CASE),
      subject: 'RE: SSO',
      messageId: '<html-1@mail.acme.example>',
      html: [
        '<p>Voici la capture.</p><p><img src="cid:logo@acme"></p>',
        '<div id="divRplyFwdMsg"><b>De :</b> Support &lt;support@desk.example&gt;<br><b>Envoyé :</b> lundi 2 mars 2026 10:12<br><b>Objet :</b> SSO</div>',
        '<p>Pouvez-vous envoyer les journaux ?</p>',
      ].join(''),
      attachments: [
        { filename: 'logo.png', content: PNG, cid: 'logo@acme' },
        { filename: 'screen.png', content: Buffer.concat([PNG, Buffer.from('screen')]) },
      ],
    });
    const delivered = await mailbox.deliver(CASE, raw);
    expect(delivered).toMatchObject({ command: 'ProvideInfo', events: ['InfoProvided'], replayed: false });
    const provided = (await events()).at(-1)!;
    expect(provided.data).toMatchObject({ message: 'Voici la capture.' });
    expect((provided.data as { attachments: { name: string }[] }).attachments.map((a) => a.name)).toEqual([
      'screen.png',
    ]);
  });

  it('files on a reply that answers no request go with the reply; a message without Message-ID is recorded once by its content', async () => {
    const raw = await compose({
      from: 'bob@acme.example',
      to: addresses.addressFor(CASE),
      subject: 'RE: SSO',
      text: '',
      attachments: [{ filename: 'trace.log', content: 'ERROR audience mismatch\n' }],
      headers: { 'Message-ID': '' },
    });
    const withoutId = raw.toString().replace(/^Message-ID:.*\r\n/im, '');
    expect(withoutId).not.toMatch(/^Message-ID:/im);
    const first = await mailbox.deliver(CASE, Buffer.from(withoutId));
    expect(first).toMatchObject({ command: 'ReplyToCase', events: ['CustomerReplied'], replayed: false });
    expect(first.messageId).toMatch(/^<content-[0-9a-f]{64}@inbound-mail>$/);
    expect((await events()).at(-1)!.data).toMatchObject({
      byId: 'bob@acme.example',
      message: '',
      attachments: [{ name: 'trace.log', contentType: 'text/plain' }],
    });
    const again = await mailbox.deliver(CASE, Buffer.from(withoutId));
    expect(again).toEqual({ caseId: CASE, messageId: first.messageId, events: [], replayed: true });
    expect((await events()).filter((e) => e.type === 'CustomerReplied')).toHaveLength(1);
  });

  it('refuses a file of a type the store does not take, storing nothing of the message', async () => {
    const raw = await compose({
      from: 'ana@acme.example',
      to: addresses.addressFor(CASE),
      subject: 'RE',
      text: 'The tool.',
      attachments: [{ filename: 'tool.exe', content: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0xff, 0xfe]) }],
    });
    const refusal = await mailbox.deliver(CASE, raw).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ responseCode: 550, enhancedCode: '5.6.1', reason: 'attachment-type' });
    expect((refusal as Error).message).toContain('The attachment "tool.exe" is refused');
  });
});
