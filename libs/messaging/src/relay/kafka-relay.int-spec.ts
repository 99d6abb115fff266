/**
 * The relay as the worker runs it (KafkaRelayModule in a Nest application, over
 * PostgreSQL), against the real broker from infra/kafka: a whole case lifecycle, with the
 * help assistant intakes around it, goes in through the event store and comes out on the
 * topics, in order, private, and valid against contracts/. Every run uses its own topic
 * prefix and database.
 */
import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import { loadAppConfig } from '@app/config';
import { EVENT_STORE, EventStoreModule, type EventStore } from '@app/event-store';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import type { CaseEventEnvelope, IntakeEventEnvelope } from '../case-events/case-event-envelope';
import { createKafkaClient } from '../kafkajs/kafkajs-client';
import type { ConsumedMessage } from '../message-consumer.port';
import { KAFKA_RELAY } from '../messaging.tokens';
import { runFullLifecycle, type LifecycleRun } from '../testing/case-lifecycle';
import { caseEventMessageErrors, caseStateMessageErrors, intakeEventMessageErrors } from '../testing/contracts';
import { deleteTopicsAndGroups, memoryLog, TopicReader } from '../testing/kafka-test-kit';
import { caseTopics, relayTopicNames } from '../topics';
import type { EventRelay } from './event-relay';
import { KafkaRelayModule } from './kafka-relay.module';

const everyText = (m: ConsumedMessage) => [m.key ?? '', m.value ?? '', ...Object.entries(m.headers).flat()].join('\n');

describeWithService('KAFKA_BROKERS', 'Kafka', 'Kafka relay (worker module, PostgreSQL, real broker)', (brokers) => {
  describeWithService('DATABASE_URL', 'PostgreSQL', 'with PostgreSQL', (databaseUrl) => {
    const prefix = `test.relay-${randomUUID()}`;
    const topics = caseTopics(prefix);
    const log = memoryLog();
    const kafka = createKafkaClient({
      brokers: brokers.split(','),
      clientId: 'relay-int-spec',
      logger: log.logger,
      fast: true,
    });
    let database: TestDatabase;
    let app: TestingModule;
    let store: EventStore;
    let run: LifecycleRun;
    const readers: TopicReader[] = [];
    let events: ConsumedMessage[] = [];
    let intakes: ConsumedMessage[] = [];
    let states: ConsumedMessage[] = [];

    beforeAll(async () => {
      database = await createTestDatabase(databaseUrl);
      const config = loadAppConfig({
        DATABASE_URL: database.url,
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '3',
        PSEUDONYM_SECRET: randomUUID() + randomUUID(),
        LOG_LEVEL: 'silent',
      });
      app = await Test.createTestingModule({
        imports: [
          EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl }) }),
          KafkaRelayModule.forRoot(config),
        ],
      }).compile();
      await app.init(); // starts the relay (onApplicationBootstrap)
      store = app.get(EVENT_STORE);
      run = await runFullLifecycle(store);

      const relay = app.get<EventRelay>(KAFKA_RELAY);
      const count = run.eventTypes.length;
      const appended = count + run.intakeEventTypes.length;
      await waitFor(
        () => relay.status().publishedEvents >= appended,
        () => `relay: ${JSON.stringify(relay.status())}, ${appended} events appended\n${log.tail()}`,
      );
      const [eventReader, intakeReader, stateReader] = await Promise.all([
        TopicReader.start(kafka, topics.caseEvents),
        TopicReader.start(kafka, topics.intakeEvents),
        TopicReader.start(kafka, topics.caseState),
      ]);
      readers.push(eventReader, intakeReader, stateReader);
      await eventReader.until(
        (m) => m.length >= count,
        () => `expected ${count} events`,
      );
      await stateReader.until(
        (m) => m.some((s) => JSON.parse(s.value ?? '{}').status === 'closed'),
        () => 'no closed state',
      );
      await intakeReader.until(
        (m) => m.length >= run.intakeEventTypes.length,
        () => `expected ${run.intakeEventTypes.length} intake events`,
      );
      events = eventReader.messages;
      intakes = intakeReader.messages;
      states = stateReader.messages;
    });

    afterAll(async () => {
      await Promise.all(readers.map((r) => r.stop().catch(() => undefined)));
      await app?.close();
      await deleteTopicsAndGroups(
        kafka,
        relayTopicNames(topics),
        readers.map((r) => r.groupId),
      );
      await database?.drop();
    });

    it('creates the topics at start with the configured partitions, the state topic compacted', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics: relayTopicNames(topics) });
        expect(meta.map((t) => t.partitions.length)).toEqual([3, 3, 3]);
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: relayTopicNames(topics).map((name) => ({ type: 2 /* TOPIC */, name })),
        });
        const setting = (topic: string, name: string) =>
          resources.find((r) => r.resourceName === topic)?.configEntries.find((c) => c.configName === name)
            ?.configValue;
        expect(setting(topics.caseState, 'cleanup.policy')).toBe('compact');
        expect(setting(topics.caseEvents, 'cleanup.policy')).toBe('delete');
        expect(setting(topics.caseEvents, 'retention.ms')).toBe('-1');
        expect(setting(topics.intakeEvents, 'cleanup.policy')).toBe('delete');
        expect(setting(topics.intakeEvents, 'retention.ms')).toBe('-1');
      } finally {
        await admin.disconnect();
      }
    });

    it('publishes every case and incident event, keyed by case id, each case in one partition and in order', async () => {
      const all = (await store.readAll({ limit: 1000 })).events.filter((e) => !e.streamId.startsWith('intake-'));
      // an internal note is never published (NEVER_PUBLISHED_CASE_EVENT_TYPES)
      const stored = all.filter((e) => !run.unpublishedEventTypes.includes(e.type));
      expect(all.length - stored.length).toBe(run.unpublishedEventTypes.length);
      const published = events.map((m) => JSON.parse(m.value!) as CaseEventEnvelope);
      expect(published.map((e) => e.eventId).sort()).toEqual(stored.map((e) => e.eventId).sort());
      expect(published.some((e) => e.type === 'InternalNoteAdded')).toBe(false);
      expect(new Set(published.map((e) => e.type)).size).toBe(new Set(run.eventTypes).size);

      const caseMessages = events.filter((m) => m.key === run.caseId);
      expect(caseMessages).toHaveLength(run.eventTypes.length - 2);
      expect(new Set(caseMessages.map((m) => m.partition)).size).toBe(1);
      const inTopicOrder = [...caseMessages].sort((a, b) => Number(a.offset) - Number(b.offset));
      const positions = inTopicOrder.map((m) => (JSON.parse(m.value!) as CaseEventEnvelope).position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(events.filter((m) => m.key === `incident-${run.incidentId}`)).toHaveLength(2);
    });

    it('publishes every intake event to its own topic, keyed by intake id, each intake in one partition and in order', async () => {
      const stored = (await store.readAll({ limit: 1000 })).events.filter((e) => e.streamId.startsWith('intake-'));
      const published = intakes.map((m) => JSON.parse(m.value!) as IntakeEventEnvelope);
      expect(published.map((e) => e.eventId).sort()).toEqual(stored.map((e) => e.eventId).sort());
      expect(published.map((e) => e.type).sort()).toEqual([...run.intakeEventTypes].sort());
      expect(new Set(intakes.map((m) => m.key))).toEqual(new Set(run.intakeIds));
      for (const intakeId of run.intakeIds) {
        const messages = intakes.filter((m) => m.key === intakeId);
        expect(new Set(messages.map((m) => m.partition)).size).toBe(1);
        const inTopicOrder = [...messages].sort((a, b) => Number(a.offset) - Number(b.offset));
        const positions = inTopicOrder.map((m) => (JSON.parse(m.value!) as IntakeEventEnvelope).position);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
      // no intake on the case topic, and no summary of an intake on the state topic
      expect(events.some((m) => run.intakeIds.includes(m.key ?? ''))).toBe(false);
      expect(new Set(states.map((m) => m.key))).toEqual(new Set([run.caseId]));
    });

    it('keeps the latest summary per case on the state topic', () => {
      const latest = states.filter((m) => m.key === run.caseId).sort((a, b) => Number(b.offset) - Number(a.offset))[0];
      expect(JSON.parse(latest.value!)).toMatchObject({
        caseId: run.caseId,
        tenant: run.tenant,
        status: 'closed',
        priority: 'P2',
        outcome: 'cannot-reproduce',
        csat: { rating: 2 },
        cycle: 2,
      });
    });

    it('publishes no free text, no e-mail address and no raw person id: only pseudonyms', () => {
      expect(events.length + states.length).toBeGreaterThan(run.eventTypes.length);
      expect(intakes.length).toBeGreaterThanOrEqual(run.intakeEventTypes.length);
      for (const message of [...events, ...intakes, ...states]) {
        const text = everyText(message);
        for (const secret of [...run.freeTexts, ...run.emails, ...run.personIds, run.nonce])
          expect(text).not.toContain(secret);
        expect(text).not.toContain('@');
      }
      const opened = events.map((m) => JSON.parse(m.value!) as CaseEventEnvelope).find((e) => e.type === 'Opened')!;
      expect(opened.data.byId).toMatch(/^[0-9a-f]{64}$/);
      expect(opened.data.requester).toEqual({ id: opened.data.byId });
      expect(opened.data.intakeId).toBe(run.intakeIds[0]);
      const requested = intakes
        .map((m) => JSON.parse(m.value!) as IntakeEventEnvelope)
        .find((e) => e.type === 'CaseRequested')!;
      expect(requested.data).toMatchObject({
        caseId: run.caseId,
        byId: opened.data.byId,
        requester: { id: opened.data.byId },
      });
    });

    it('publishes only messages that validate against their contract schema', () => {
      for (const message of events) expect(caseEventMessageErrors(message)).toEqual([]);
      for (const message of intakes) expect(intakeEventMessageErrors(message)).toEqual([]);
      for (const message of states) expect(caseStateMessageErrors(message)).toEqual([]);
    });
  });
});
