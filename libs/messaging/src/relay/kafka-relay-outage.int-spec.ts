/**
 * A broker outage: infra/kafka/stop.sh, then start.sh --reuse. The store keeps taking
 * appends while the broker is down, the relay retries with backoff and keeps its
 * checkpoint (the lag grows), and once the broker is back every event is on the topic.
 *
 * The broker stopped here is a private one (infra/kafka's scripts with their own
 * KAFKA_RUN_DIR and ports), so the shared broker at KAFKA_BROKERS, which other suites use
 * at the same time, never goes down; this one is removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import type { CaseEventEnvelope } from '../case-events/case-event-envelope';
import { createKafkaClient } from '../kafkajs/kafkajs-client';
import { KafkajsPublisher } from '../kafkajs/kafkajs-publisher';
import { hmacPseudonymiser } from '../pseudonymiser';
import { memoryLog, startPrivateBroker, TopicReader, type PrivateBroker } from '../testing/kafka-test-kit';
import { caseTopics } from '../topics';
import { EventRelay } from './event-relay';

describeWithService('KAFKA_BROKERS', 'Kafka', 'Kafka relay through a broker outage (stop.sh, start.sh --reuse)', () => {
  describeWithService('DATABASE_URL', 'PostgreSQL', 'with PostgreSQL', (databaseUrl) => {
    const topics = caseTopics(`test.outage-${randomUUID()}`);
    const log = memoryLog();
    let broker: PrivateBroker | undefined;
    let database: TestDatabase;
    let handle: EventStoreHandle;
    let relay: EventRelay | undefined;
    let reader: TopicReader | undefined;

    beforeAll(async () => {
      [broker, database] = await Promise.all([startPrivateBroker(), createTestDatabase(databaseUrl)]);
      handle = await createEventStore({ databaseUrl: database.url });
    });

    afterAll(async () => {
      await reader?.stop().catch(() => undefined);
      await relay?.stop();
      await handle?.store.close();
      await broker?.destroy();
      await database?.drop();
    });

    it('retries while the broker is down, keeps taking appends, and drains the lag when it is back', async () => {
      const kafka = createKafkaClient({
        brokers: [broker!.address],
        clientId: 'outage-int-spec',
        logger: log.logger,
        fast: true,
      });
      relay = new EventRelay(handle.store, handle.db, new KafkajsPublisher(kafka), hmacPseudonymiser('o'.repeat(32)), {
        topics,
        partitions: 3,
        logger: log.logger,
        backoff: { initialMs: 50, maxMs: 400 },
      });
      await relay.start();
      const appended: RecordedEvent['eventId'][] = [];
      const append = async (count: number) => {
        for (let i = 0; i < count; i += 1) {
          const caseId = randomUUID();
          const eventId = randomUUID();
          await handle.store.appendToStream(
            `case-${caseId}`,
            [
              {
                eventId,
                type: 'CustomerReplied',
                data: { caseId, at: new Date().toISOString(), byId: 'admin-1', endsWait: false },
              },
            ],
            'no-stream',
          );
          appended.push(eventId);
        }
      };
      const published = () => relay!.status().publishedEvents;
      const describe = () => `relay ${JSON.stringify(relay!.status())}, appended ${appended.length}\n${log.tail()}`;

      await append(10);
      await waitFor(() => published() === 10, describe);

      await broker!.stop();
      const downSince = Date.now();
      await append(25); // the store does not wait for the broker
      expect(Date.now() - downSince).toBeLessThan(5_000);
      await waitFor(() => relay!.status().consecutiveFailures >= 2, describe);
      expect(relay.status().state).toBe('retrying');
      expect(published()).toBe(10); // the lag: 25 events wait, none skipped, the checkpoint stays

      await broker!.restart();
      await waitFor(() => published() >= 35 && relay!.status().state === 'running', describe);

      reader = await TopicReader.start(kafka, topics.caseEvents);
      const ids = () => new Set(reader!.messages.map((m) => (JSON.parse(m.value!) as CaseEventEnvelope).eventId));
      await reader.until(
        () => appended.every((id) => ids().has(id)),
        () => `${appended.filter((id) => !ids().has(id)).length} events missing`,
      );
      expect(appended.filter((id) => !ids().has(id))).toEqual([]);
    });
  });
});
