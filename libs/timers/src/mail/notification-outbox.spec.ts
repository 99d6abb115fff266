import { randomBytes } from 'node:crypto';
import { toCaseStreamId, type Actor } from '@app/case-domain';
import type { EventStoreHandle } from '@app/event-store';
import { TimerIndexer, TIMER_INDEX_CHECKPOINT } from '../scheduler/timer-indexer';
import { notificationsOf } from '../store/notification-table';
import { pgliteBackend, timersHarness, type TimersBackend, type TimersHarness } from '../testing/timers-harness';
import type { MailMessage, MailTransport } from './mail-transport';
import { NotificationMailer } from './notification-mailer';
import { ReplyAddresses } from './reply-address';

const customer: Actor = { id: 'ana', role: 'support-admin' };
const supervisor: Actor = { id: 'sam', role: 'supervisor' };

/** A transport that fails while `down` is set, as an SMTP server out of reach does. */
const flakyTransport = () => {
  const sent: MailMessage[] = [];
  const transport = {
    down: false,
    sent,
    kind: 'smtp' as const,
    send: async (m: MailMessage) => {
      if (transport.down) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      sent.push(m);
      return { messageId: m.messageId };
    },
    close: () => undefined,
  };
  return transport satisfies MailTransport;
};

/** The notification outbox on PGlite: what the indexer queues, what the mailer sends, exactly once. */
describe('the notification e-mail outbox (case_notifications)', () => {
  let backend: TimersBackend;
  let handle: EventStoreHandle;
  let h: TimersHarness;
  const secret = randomBytes(32);
  const addresses = new ReplyAddresses(secret, 'reply.desk.example');
  const transport = flakyTransport();
  const mailer = (o: { maxAttempts?: number } = {}) =>
    new NotificationMailer({
      store: handle.store,
      db: handle.db,
      clock: h.clock,
      transport,
      from: 'Support <support@desk.example>',
      publicBaseUrl: 'https://support.example',
      replyAddresses: addresses,
      owner: 'notifier-1',
      ...o,
    });
  const rows = async (caseId: string) =>
    (await notificationsOf(handle.db, toCaseStreamId(caseId))).map((r) => [r.eventType, r.language, r.state]);

  beforeAll(async () => {
    backend = pgliteBackend();
    handle = await backend.connect();
    h = await timersHarness(handle);
  });
  afterAll(() => backend.dispose());

  it('queues one e-mail per notified event in the indexer’s transaction: no note, nothing the customer turned off', async () => {
    const id = await h.open({ language: 'fr-CA' });
    await h.respond(id);
    await h.run(id, (caseId) => ({ type: 'AddInternalNote', caseId, actor: supervisor, message: 'Old connector.' }));
    await h.run(id, (caseId) => ({ type: 'SetNotifications', caseId, actor: customer, enabled: false }));
    await h.respond(id); // turned off: no e-mail
    await h.requestInfo(id); // an information request goes out anyway
    await h.provideInfo(id);
    await h.resolve(id); // off: no e-mail (the survey has its own outbox)
    await h.scheduler({ surveyDelayMs: 86_400_000 }).tick();
    expect(await rows(id)).toEqual([
      ['AgentResponded', 'fr', 'pending'],
      ['InfoRequested', 'fr', 'pending'],
    ]);
  });

  it('sends each once, in the case’s language, with its signed Reply-To; a retried send waits its backoff', async () => {
    const id = await h.open({ language: 'fr' });
    await h.respond(id);
    await h.scheduler().tick();
    const notifier = mailer();
    transport.down = true;
    const down = await notifier.dispatch();
    expect(down.filter((d) => d.outcome === 'retry').length).toBeGreaterThanOrEqual(1);
    const [failed] = await notificationsOf(handle.db, toCaseStreamId(id));
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, lastError: 'connect ECONNREFUSED 127.0.0.1:25' });

    transport.down = false;
    expect(await notifier.dispatch()).toEqual([]); // 30 s of backoff first
    h.clock.advance(30_000);
    const back = await notifier.dispatch();
    expect(back.filter((d) => d.eventType === 'AgentResponded' && d.outcome === 'sent').length).toBeGreaterThanOrEqual(
      1,
    );
    const mail = transport.sent.find((m) => m.headers?.['X-Case-Id'] === id)!;
    expect(mail).toMatchObject({ to: 'ana@acme.example', replyTo: addresses.addressFor(id) });
    expect(addresses.caseOf(mail.replyTo!)).toBe(id);
    expect(mail.subject).toBe('Nouvelle réponse sur votre demande d’assistance «\u00a0SSO fails\u00a0»');
    const [sent] = await notificationsOf(handle.db, toCaseStreamId(id));
    expect(sent).toMatchObject({
      state: 'sent',
      attempts: 2,
      recipient: 'ana@acme.example',
      messageId: mail.messageId,
      sentAt: h.clock.now(),
    });
    expect(await notifier.dispatch()).toEqual([]);
  });

  it('a rebuilt timer index, in batches of any size, queues nothing new and sends nothing again', async () => {
    await mailer().dispatch();
    const before = await handle.db.query(
      'SELECT event_id, state, message_id FROM case_notifications ORDER BY event_id',
    );
    const sentBefore = transport.sent.length;
    for (const batchSize of [1, 3, 500]) {
      await handle.db.query("DELETE FROM checkpoints WHERE component = 'timers' AND name = $1", [
        TIMER_INDEX_CHECKPOINT,
      ]);
      const indexer = new TimerIndexer(handle.store, handle.db, () => [], h.clock, batchSize);
      expect(await indexer.catchUp()).toBeGreaterThan(0);
      expect(
        (await handle.db.query('SELECT event_id, state, message_id FROM case_notifications ORDER BY event_id')).rows,
      ).toEqual(before.rows);
    }
    expect(await mailer().dispatch()).toEqual([]);
    expect(transport.sent.length).toBe(sentBefore);
  });

  it('the same rows from a first indexing in batches of one as in one batch (each event planned on the case right after it)', async () => {
    const id = await h.open({ language: 'en' });
    await h.respond(id);
    await h.run(id, (caseId) => ({ type: 'SetNotifications', caseId, actor: customer, enabled: false }));
    await h.respond(id);
    await h.requestInfo(id);
    await h.run(id, (caseId) => ({ type: 'SetNotifications', caseId, actor: customer, enabled: true }));
    await h.provideInfo(id);
    await h.resolve(id);
    const expected = [
      ['AgentResponded', 'en', 'pending'],
      ['InfoRequested', 'en', 'pending'],
      ['Resolved', 'en', 'pending'],
    ];
    await new TimerIndexer(handle.store, handle.db, () => [], h.clock, 1).catchUp();
    expect(await rows(id)).toEqual(expected);
    await handle.db.query('DELETE FROM case_notifications WHERE stream_id = $1', [toCaseStreamId(id)]);
    await handle.db.query("DELETE FROM checkpoints WHERE component = 'timers' AND name = $1", [TIMER_INDEX_CHECKPOINT]);
    await new TimerIndexer(handle.store, handle.db, () => [], h.clock, 500).catchUp();
    expect(await rows(id)).toEqual(expected);
  });

  it('an event more than a week old when first indexed is recorded as skipped, never sent', async () => {
    const id = await h.open();
    await h.respond(id);
    await handle.db.query('DELETE FROM case_notifications WHERE stream_id = $1', [toCaseStreamId(id)]);
    await handle.db.query("DELETE FROM checkpoints WHERE component = 'timers' AND name = $1", [TIMER_INDEX_CHECKPOINT]);
    h.clock.advance(8 * 86_400_000);
    await new TimerIndexer(handle.store, handle.db, () => [], h.clock).catchUp();
    const [row] = await notificationsOf(handle.db, toCaseStreamId(id));
    expect(row).toMatchObject({
      state: 'skipped',
      lastError: expect.stringMatching(/more than 7 days old when indexed/),
    });
  });

  it('gives up after the last attempt and records why', async () => {
    const id = await h.open();
    await h.respond(id);
    await h.scheduler().tick();
    const notifier = mailer({ maxAttempts: 2 });
    transport.down = true;
    await notifier.dispatch();
    h.clock.advance(30_000);
    await notifier.dispatch();
    transport.down = false;
    const [row] = await notificationsOf(handle.db, toCaseStreamId(id));
    expect(row).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastError: 'connect ECONNREFUSED 127.0.0.1:25',
      sentAt: null,
    });
  });
});
