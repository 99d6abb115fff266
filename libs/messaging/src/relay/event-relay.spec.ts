import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import { waitFor } from '@app/testing';
import type { CaseEventEnvelope, IntakeEventEnvelope } from '../case-events/case-event-envelope';
import type { CaseStateSummary } from '../case-events/case-state';
import { hmacPseudonymiser } from '../pseudonymiser';
import { runFullLifecycle } from '../testing/case-lifecycle';
import { InMemoryPublisher, type PublishedMessage } from '../testing/in-memory-publisher';
import { caseTopics } from '../topics';
import { EventRelay, KAFKA_RELAY_NAME, type EventRelayOptions } from './event-relay';

const topics = caseTopics('unit');
const pseudonymise = hmacPseudonymiser('unit-test-secret-of-32-characters!');
const envelopes = (messages: PublishedMessage[]) => messages.map((m) => JSON.parse(m.value) as CaseEventEnvelope);

/** A small case event, as the API appends them. */
const caseEvent = (caseId: string, type = 'CustomerReplied') => ({
  type,
  data: { caseId, at: '2026-03-02T09:30:00.000Z', byId: 'admin-1', message: 'Any news?', endsWait: false },
  metadata: { tenant: 'acme.example', actor: { id: 'admin-1', role: 'support-admin' } },
});

describe('EventRelay (PGlite store, in-memory broker)', () => {
  let handle: EventStoreHandle;
  let publisher: InMemoryPublisher;
  const relays: EventRelay[] = [];

  const startRelay = async (options: Partial<EventRelayOptions> = {}) => {
    const relay = new EventRelay(handle.store, handle.db, publisher, pseudonymise, {
      topics,
      partitions: 3,
      ...options,
    });
    relays.push(relay);
    await relay.start();
    return relay;
  };
  const allEvents = async (): Promise<RecordedEvent[]> => (await handle.store.readAll({ limit: 100_000 })).events;
  const caughtUp = async (relay: EventRelay) => {
    const events = await allEvents();
    const last = events[events.length - 1];
    await waitFor(
      () => relay.status().checkpoint?.globalPosition === last.globalPosition,
      () => `relay at ${JSON.stringify(relay.status())}, log ends at ${last.globalPosition}`,
    );
  };
  const savedCheckpoint = async () =>
    (
      await handle.db.query<{ global_position: string }>(
        "SELECT global_position FROM checkpoints WHERE component = 'messaging' AND name = $1",
        [KAFKA_RELAY_NAME],
      )
    ).rows[0]?.global_position;

  beforeEach(async () => {
    handle = await createEventStore();
    publisher = new InMemoryPublisher();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await handle.store.close();
  });

  it('creates its three topics with the configured partitions and replication, the state topic compacted', async () => {
    await startRelay({ partitions: 6, replicationFactor: 3 });
    await waitFor(
      () => publisher.topics.size === 3,
      () => 'topics not created',
    );
    expect(publisher.topics.get(topics.caseEvents)).toEqual({
      topic: 'unit.case-events.v1',
      partitions: 6,
      replicationFactor: 3,
      config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
    });
    expect(publisher.topics.get(topics.intakeEvents)).toEqual({
      topic: 'unit.intake-events.v1',
      partitions: 6,
      replicationFactor: 3,
      config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
    });
    expect(publisher.topics.get(topics.caseState)).toMatchObject({
      partitions: 6,
      config: { 'cleanup.policy': 'compact' },
    });
  });

  it('publishes every case and incident event once, keyed by case id, in log order, then saves the checkpoint', async () => {
    const run = await runFullLifecycle(handle.store);
    const relay = await startRelay();
    await caughtUp(relay);

    // not an internal note: never published (publication-policy.ts)
    const events = (await allEvents()).filter(
      (e) => !e.streamId.startsWith('intake-') && !run.unpublishedEventTypes.includes(e.type),
    );
    const published = publisher.on(topics.caseEvents);
    expect(envelopes(published).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    for (const [i, message] of published.entries()) {
      const event = events[i];
      const isCase = event.streamId.startsWith('case-');
      expect(message.key).toBe(isCase ? run.caseId : `incident-${run.incidentId}`);
      expect(message.headers).toMatchObject({
        'event-id': event.eventId,
        'event-type': event.type,
        'schema-version': '1',
      });
      expect(JSON.parse(message.value)).toMatchObject({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: 1,
        caseId: isCase ? run.caseId : null,
        tenant: isCase ? 'acme.example' : null,
        position: event.globalPosition,
      });
    }
    const all = await allEvents();
    expect(Number(await savedCheckpoint())).toBe(all[all.length - 1].globalPosition);
    expect(relay.status()).toMatchObject({
      state: 'running',
      publishedEvents: all.length - run.unpublishedEventTypes.length,
      consecutiveFailures: 0,
    });
  });

  it('sends the traceparent an event recorded as a header, and none for an event without one or with a malformed one', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const caseId = randomUUID();
    const withTrace = (metadata: Record<string, unknown>) => ({
      ...caseEvent(caseId),
      metadata: { ...caseEvent(caseId).metadata, ...metadata },
    });
    await handle.store.appendToStream(
      `case-${caseId}`,
      [withTrace({ traceparent }), withTrace({}), withTrace({ traceparent: 'not-a-trace-context' })],
      'any',
    );
    const relay = await startRelay();
    await caughtUp(relay);
    const published = publisher.on(topics.caseEvents);
    expect(published.map((m) => m.headers?.traceparent)).toEqual([traceparent, undefined, undefined]);
    // the state summary is no one event's: no traceparent
    expect(publisher.on(topics.caseState).map((m) => m.headers)).toEqual([{ 'schema-version': '1' }]);
  });

  it("publishes every intake event to the intake topic, keyed by intake id, each intake in order, and no case's summary", async () => {
    const run = await runFullLifecycle(handle.store);
    const relay = await startRelay();
    await caughtUp(relay);

    const stored = (await allEvents()).filter((e) => e.streamId.startsWith('intake-'));
    const published = publisher.on(topics.intakeEvents);
    expect(published.map((m) => JSON.parse(m.value) as IntakeEventEnvelope).map((e) => e.eventId)).toEqual(
      stored.map((e) => e.eventId),
    );
    expect(published.map((m) => m.key)).toEqual(stored.map((e) => e.streamId.slice('intake-'.length)));
    expect(new Set(published.map((m) => m.key))).toEqual(new Set(run.intakeIds));
    for (const [i, message] of published.entries()) {
      expect(message.headers).toMatchObject({ 'event-id': stored[i].eventId, 'event-type': stored[i].type });
      expect(JSON.parse(message.value)).toMatchObject({
        type: stored[i].type,
        intakeId: message.key,
        tenant: run.tenant,
        position: stored[i].globalPosition,
        data: { intakeId: message.key },
      });
      expect(JSON.parse(message.value)).not.toHaveProperty('caseId');
    }
    expect(published.map((m) => m.headers?.['event-type'])).toEqual(run.intakeEventTypes);
    // not on the case topic, and no summary: the state topic holds cases only
    expect(publisher.on(topics.caseEvents).some((m) => run.intakeIds.includes(m.key))).toBe(false);
    expect(new Set(publisher.on(topics.caseState).map((m) => m.key))).toEqual(new Set([run.caseId]));
  });

  it('publishes the latest summary of each case to the state topic, without free text', async () => {
    const run = await runFullLifecycle(handle.store);
    const relay = await startRelay();
    await caughtUp(relay);
    const states = publisher.on(topics.caseState);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((m) => m.key === run.caseId)).toBe(true);
    const last = JSON.parse(states[states.length - 1].value) as CaseStateSummary;
    expect(last).toMatchObject({
      caseId: run.caseId,
      status: 'closed',
      priority: 'P2',
      outcome: 'cannot-reproduce',
      cycle: 2,
      csat: { rating: 2 },
      firstResponseDueAt: '2026-03-02T10:01:00.000Z',
      escalations: 1,
      vendor: 'north-desk',
      queueId: 'fr-P1',
      // the two incident events are not the case's; the note is, though never published
      version: run.eventTypes.length - 2 + run.unpublishedEventTypes.length,
    });
    for (const m of publisher.messages) expect(m.value).not.toContain(run.nonce);
  });

  it("never publishes an internal note: no message, no header, no summary made at the note's version", async () => {
    const run = await runFullLifecycle(handle.store);
    const relay = await startRelay();
    await caughtUp(relay);
    const notes = (await allEvents()).filter((e) => e.type === 'InternalNoteAdded');
    expect(notes).toHaveLength(1);
    const ids = new Set(notes.map((e) => e.eventId));
    for (const m of publisher.messages) {
      expect(m.headers?.['event-type']).not.toBe('InternalNoteAdded');
      expect(ids.has(m.headers?.['event-id'] ?? '')).toBe(false);
      expect(m.value).not.toContain('InternalNoteAdded');
    }
    const versions = publisher.on(topics.caseState).map((m) => (JSON.parse(m.value) as CaseStateSummary).version);
    expect(versions).not.toContain(notes[0].streamVersion);
    expect(run.unpublishedEventTypes).toEqual(['InternalNoteAdded']);
  });

  it('keeps the checkpoint while the broker is down, retries with backoff, and publishes everything once it is back', async () => {
    publisher.down = true;
    const relay = await startRelay();
    const caseId = randomUUID();
    await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId)], 'any');
    await waitFor(
      () => relay.status().consecutiveFailures >= 3,
      () => JSON.stringify(relay.status()),
    );
    expect(relay.status().state).toBe('retrying');
    expect(relay.status().lastError).toContain('the broker is down');

    // the store keeps taking appends; the lag grows
    for (let i = 0; i < 5; i += 1) await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId)], 'any');
    expect(publisher.messages).toHaveLength(0);
    expect(await savedCheckpoint()).toBeUndefined();

    publisher.down = false;
    await caughtUp(relay);
    expect(envelopes(publisher.on(topics.caseEvents)).map((e) => e.eventId)).toEqual(
      (await allEvents()).map((e) => e.eventId),
    );
    expect(relay.status()).toMatchObject({ state: 'running', consecutiveFailures: 0 });
  });

  it('publishes a batch again, never skips it, when it fails after the acknowledgement and before the checkpoint', async () => {
    const caseId = randomUUID();
    for (let i = 0; i < 3; i += 1) await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId)], 'any');
    let crashes = 1;
    const relay = await startRelay({
      onAcknowledged: () => {
        if (crashes-- > 0) throw new Error('crashed between acknowledgement and checkpoint');
      },
    });
    await caughtUp(relay);
    const ids = envelopes(publisher.on(topics.caseEvents)).map((e) => e.eventId);
    const stored = (await allEvents()).map((e) => e.eventId);
    expect(ids).toEqual([...stored, ...stored]); // at-least-once: twice, in order
  });

  it('continues after a restart from its saved checkpoint and case states', async () => {
    const caseId = randomUUID();
    await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId)], 'any');
    const first = await startRelay();
    await caughtUp(first);
    await first.stop();
    await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId, 'Escalated')], 'any');

    const second = await startRelay();
    await caughtUp(second);
    const ids = envelopes(publisher.on(topics.caseEvents)).map((e) => e.eventId);
    expect(ids).toEqual((await allEvents()).map((e) => e.eventId)); // nothing twice, nothing missing
    const states = publisher.on(topics.caseState).map((m) => JSON.parse(m.value) as CaseStateSummary);
    expect(states.map((s) => [s.version, s.escalations])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it('moves past events of other streams without publishing them', async () => {
    const caseId = randomUUID();
    await handle.store.appendToStream('article-1', [{ type: 'ArticlePublished', data: { text: 'hello' } }], 'any');
    await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId)], 'any');
    await handle.store.appendToStream('bench-2', [{ type: 'IntakeStarted', data: { text: 'hello' } }], 'any');
    const relay = await startRelay();
    await caughtUp(relay);
    expect(publisher.messages.filter((m) => m.topic !== topics.caseState).map((m) => m.key)).toEqual([caseId]);
  });

  it('splits a large batch into requests of bounded size, keeping the order', async () => {
    const caseId = randomUUID();
    for (let i = 0; i < 40; i += 1) await handle.store.appendToStream(`case-${caseId}`, [caseEvent(caseId)], 'any');
    const relay = await startRelay({ maxRequestBytes: 4_000 });
    await caughtUp(relay);
    expect(publisher.attempts.length).toBeGreaterThan(5);
    for (const request of publisher.attempts) {
      const bytes = request.flatMap((t) => t.messages).reduce((n, m) => n + m.key.length + m.value.length, 0);
      expect(bytes).toBeLessThanOrEqual(4_000);
    }
    expect(envelopes(publisher.on(topics.caseEvents)).map((e) => e.eventId)).toEqual(
      (await allEvents()).map((e) => e.eventId),
    );
  });

  it('stops promptly while it is waiting for the broker', async () => {
    publisher.down = true;
    const relay = await startRelay({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await waitFor(
      () => relay.status().consecutiveFailures >= 1,
      () => JSON.stringify(relay.status()),
    );
    const started = Date.now();
    await relay.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(relay.status().state).toBe('stopped');
  });
});
