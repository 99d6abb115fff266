/**
 * Embedded mode: the store is PGlite in DATA_DIR and the relay runs in the same process
 * (as in `npm start` with KAFKA_BROKERS set: the API imports WorkerFeaturesModule, which
 * imports KafkaRelayModule). Events appended in-process reach the real broker.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { loadAppConfig } from '@app/config';
import { EVENT_STORE, EventStoreModule, type EventStore } from '@app/event-store';
import { describeWithService, waitFor } from '@app/testing';
import type { CaseEventEnvelope, IntakeEventEnvelope } from '../case-events/case-event-envelope';
import { createKafkaClient } from '../kafkajs/kafkajs-client';
import { KAFKA_RELAY } from '../messaging.tokens';
import { runFullLifecycle } from '../testing/case-lifecycle';
import { caseEventMessageErrors, intakeEventMessageErrors } from '../testing/contracts';
import { deleteTopicsAndGroups, memoryLog, TopicReader } from '../testing/kafka-test-kit';
import { caseTopics, relayTopicNames } from '../topics';
import type { EventRelay } from './event-relay';
import { KafkaRelayModule } from './kafka-relay.module';

describeWithService('KAFKA_BROKERS', 'Kafka', 'Kafka relay in embedded mode (PGlite, in-process)', (brokers) => {
  const prefix = `test.embedded-${randomUUID()}`;
  const topics = caseTopics(prefix);
  const log = memoryLog();
  const kafka = createKafkaClient({
    brokers: brokers.split(','),
    clientId: 'embedded-int-spec',
    logger: log.logger,
    fast: true,
  });
  let dataDir: string;
  let app: TestingModule | undefined;
  const readers: TopicReader[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relay-embedded-'));
  });

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.stop().catch(() => undefined)));
    await app?.close();
    await deleteTopicsAndGroups(
      kafka,
      relayTopicNames(topics),
      readers.map((r) => r.groupId),
    );
    await rm(dataDir, { recursive: true, force: true });
  });

  it('relays what the embedded store records, from inside the same process', async () => {
    const config = loadAppConfig({
      DATA_DIR: dataDir,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_PARTITIONS: '2',
      PSEUDONYM_SECRET: 'e'.repeat(40),
      LOG_LEVEL: 'silent',
    });
    expect(config.mode).toBe('embedded');
    app = await Test.createTestingModule({
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ dataDir: config.dataDir }) }),
        KafkaRelayModule.forRoot(config),
      ],
    }).compile();
    await app.init();
    const run = await runFullLifecycle(app.get<EventStore>(EVENT_STORE));
    const relay = app.get<EventRelay>(KAFKA_RELAY);
    const count = run.eventTypes.length + run.intakeEventTypes.length;
    await waitFor(
      () => relay.status().publishedEvents >= count,
      () => `relay ${JSON.stringify(relay.status())}\n${log.tail()}`,
    );
    const [reader, intakeReader] = await Promise.all([
      TopicReader.start(kafka, topics.caseEvents),
      TopicReader.start(kafka, topics.intakeEvents),
    ]);
    readers.push(reader, intakeReader);
    await reader.until(
      (m) => m.length >= run.eventTypes.length,
      () => `expected ${run.eventTypes.length}`,
    );
    await intakeReader.until(
      (m) => m.length >= run.intakeEventTypes.length,
      () => `expected ${run.intakeEventTypes.length} intake events`,
    );
    const types = reader.messages.map((m) => (JSON.parse(m.value!) as CaseEventEnvelope).type);
    expect(types.sort()).toEqual([...run.eventTypes].sort());
    const intakeTypes = intakeReader.messages.map((m) => (JSON.parse(m.value!) as IntakeEventEnvelope).type);
    expect(intakeTypes.sort()).toEqual([...run.intakeEventTypes].sort());
    for (const message of reader.messages) {
      expect(caseEventMessageErrors(message)).toEqual([]);
      expect(message.value).not.toContain(run.nonce);
    }
    for (const message of intakeReader.messages) {
      expect(intakeEventMessageErrors(message)).toEqual([]);
      expect(message.value).not.toContain(run.nonce);
    }
  });
});
