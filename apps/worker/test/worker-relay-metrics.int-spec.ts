/**
 * Two workers (`WorkerModule`, as `npm run worker` builds it) over one PostgreSQL store,
 * with the real broker from infra/kafka: their /metrics say which one relays, the
 * published count and the position move on the leader as events are appended, the lag is
 * the same in both (the shared checkpoint), and when the leader stops the other one takes
 * over.
 */
import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { caseTopics, createKafkaClient, KAFKA_RELAY_NAME, relayTopicNames } from '@app/messaging';
import { sampleValue } from '@app/observability';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import { deleteTopicsAndGroups, memoryLog } from '../../../libs/messaging/src/testing/kafka-test-kit';
import { startWorkerTestApp, type WorkerTestApp } from './worker-test-app';

describeWithService('KAFKA_BROKERS', 'Kafka', 'worker /metrics: the Kafka relay of two workers', (brokers) => {
  describeWithService('DATABASE_URL', 'PostgreSQL', 'with PostgreSQL', (databaseUrl) => {
    const prefix = `test.worker-${randomUUID()}`;
    let database: TestDatabase;
    let api: EventStoreHandle;
    const workers: WorkerTestApp[] = [];

    const relay = (text: string, name: string) => sampleValue(text, name, { relay: KAFKA_RELAY_NAME });
    const scrapeAll = () => Promise.all(workers.map((w) => w.scrape()));
    /** the last event committed, in log order (readAll would hide it while an older transaction is open) */
    const lastPosition = async () =>
      Number(
        (
          await api.db.query<{ global_position: string }>(
            'SELECT global_position FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
          )
        ).rows[0].global_position,
      );
    const append = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const caseId = randomUUID();
        await api.store.appendToStream(
          `case-${caseId}`,
          [{ type: 'CustomerReplied', data: { caseId, at: new Date().toISOString(), byId: 'a', endsWait: false } }],
          'no-stream',
        );
      }
    };

    beforeAll(async () => {
      database = await createTestDatabase(databaseUrl);
      api = await createEventStore({ databaseUrl: database.url, poolSize: 2 });
      const env = {
        DATABASE_URL: database.url,
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '3',
        PSEUDONYM_SECRET: 'm'.repeat(40),
      };
      workers.push(await startWorkerTestApp(env), await startWorkerTestApp(env));
    });

    afterAll(async () => {
      await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
      await api?.store.close();
      await database?.drop();
      const kafka = createKafkaClient({
        brokers: brokers.split(','),
        clientId: 'worker-int-spec',
        logger: memoryLog().logger,
      });
      const topics = caseTopics(prefix);
      await deleteTopicsAndGroups(kafka, relayTopicNames(topics), []);
    });

    it('one worker relays (kafka_relay_leader 1), and its published count and position move with the log', async () => {
      const leaders = await waitFor(
        async () => {
          const pages = await scrapeAll();
          const flags = pages.map((p) => relay(p, 'kafka_relay_leader'));
          return flags.filter((f) => f === 1).length === 1 && flags.every((f) => f === 0 || f === 1)
            ? flags
            : undefined;
        },
        () => 'no single leader',
      );
      const leader = leaders.indexOf(1);
      const standby = 1 - leader;

      await append(25);
      const last = await lastPosition();
      const pages = await waitFor(
        async () => {
          const p = await scrapeAll();
          // the standby reads the shared checkpoint on its own beat: wait for both pages
          return relay(p[leader], 'kafka_relay_published_events_total') === 25 &&
            p.every(
              (page) =>
                relay(page, 'kafka_relay_last_published_position') === last &&
                relay(page, 'kafka_relay_lag_events') === 0,
            )
            ? p
            : undefined;
        },
        () => 'the leader did not publish the 25 events, or the standby did not see the checkpoint move',
      );
      for (const page of pages) {
        expect(relay(page, 'kafka_relay_last_published_position')).toBe(last); // the shared checkpoint
        expect(relay(page, 'kafka_relay_lag_events')).toBe(0);
      }
      expect(relay(pages[standby], 'kafka_relay_leader')).toBe(0);
      expect(relay(pages[standby], 'kafka_relay_published_events_total')).toBe(0);
      expect(relay(pages[leader], 'kafka_relay_errors_total')).toBe(0);

      // the leader stops (a deploy): it gives the lease up, the other worker relays from the checkpoint
      await workers[leader].close();
      workers.splice(leader, 1);
      await append(5);
      const after = await waitFor(
        async () => {
          const [page] = await scrapeAll();
          return relay(page, 'kafka_relay_leader') === 1 &&
            relay(page, 'kafka_relay_published_events_total') === 5 &&
            relay(page, 'kafka_relay_lag_events') === 0
            ? page
            : undefined;
        },
        () => 'the standby did not take over',
      );
      expect(relay(after, 'kafka_relay_last_published_position')).toBe(await lastPosition());
    });
  });
});
