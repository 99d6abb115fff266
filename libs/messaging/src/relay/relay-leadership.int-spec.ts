/**
 * One relay at a time across processes, on PostgreSQL and the real broker from
 * infra/kafka. Each relay has its own connection pool (its own `application_name`) and its
 * own Kafka client, as two worker processes would; a third pool appends, as the API does.
 *
 * - While both run, one leads and every event is on the topic exactly once.
 * - The leader is killed (its PostgreSQL sessions terminated with pg_terminate_backend, its
 *   pool and broker connection gone, its lease not given up): the standby takes over once
 *   the lease has expired or the leader's presence lock has been gone for 2 s (with a
 *   ten-minute lease, only the latter), and publishes the rest from the shared checkpoint;
 *   no event is lost.
 * - The leader's connections are terminated, its presence connection's too, but it lives
 *   on: it reconnects and keeps leading; the standby never publishes.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import type { CaseEventEnvelope } from '../case-events/case-event-envelope';
import { createKafkaClient } from '../kafkajs/kafkajs-client';
import { KafkajsPublisher } from '../kafkajs/kafkajs-publisher';
import type { MessagePublisher, TopicMessages, TopicSpec } from '../message-publisher.port';
import { PublishFailed } from '../messaging.errors';
import { hmacPseudonymiser } from '../pseudonymiser';
import { deleteTopicsAndGroups, memoryLog, TopicReader } from '../testing/kafka-test-kit';
import { caseTopics, relayTopicNames, type CaseTopics } from '../topics';
import { EventRelay, KAFKA_RELAY_NAME } from './event-relay';
import { relayLeaseHolder } from './relay-leadership';

/** A process's broker connection that can die with it: after `kill()`, nothing more goes out. */
class KillablePublisher implements MessagePublisher {
  private dead = false;
  constructor(private readonly inner: MessagePublisher) {}
  async kill(): Promise<void> {
    this.dead = true;
    await this.inner.disconnect().catch(() => undefined);
  }
  private alive(): void {
    if (this.dead) throw new PublishFailed('the process is dead', true);
  }
  async ensureTopics(topics: readonly TopicSpec[]) {
    this.alive();
    await this.inner.ensureTopics(topics);
  }
  async publish(batches: readonly TopicMessages[]) {
    this.alive();
    await this.inner.publish(batches);
    this.alive(); // killed during the send: its acknowledgement never arrives
  }
  async reset() {
    if (!this.dead) await this.inner.reset();
  }
  async disconnect() {
    await this.inner.disconnect();
  }
}

interface RelayProcess {
  readonly name: string;
  readonly handle: EventStoreHandle;
  readonly publisher: KillablePublisher;
  readonly relay: EventRelay;
}

describeWithService('KAFKA_BROKERS', 'Kafka', 'Kafka relay: one leader across processes (real broker)', (brokers) => {
  describeWithService('DATABASE_URL', 'PostgreSQL', 'with PostgreSQL', (databaseUrl) => {
    const log = memoryLog();
    const kafka = createKafkaClient({
      brokers: brokers.split(','),
      clientId: 'leadership-int-spec',
      logger: log.logger,
      fast: true,
    });
    const lease = { durationMs: 1_500, standbyPollMs: 20 };
    let database: TestDatabase;
    let api: EventStoreHandle;
    let processes: RelayProcess[] = [];
    const readers: TopicReader[] = [];
    const usedTopics: string[] = [];

    const withName = (url: string, name: string) => {
      const u = new URL(url);
      u.searchParams.set('application_name', name);
      return u.toString();
    };
    const startProcess = async (
      name: string,
      topics: CaseTopics,
      { durationMs = lease.durationMs } = {},
    ): Promise<RelayProcess> => {
      const handle = await createEventStore({
        databaseUrl: withName(database.url, name),
        poolSize: 4,
        // the terminated sessions of the tests below: expected, kept with the log for a failure message
        onError: (error) => log.lines.push(`${name} database: ${error.message}`),
      });
      const publisher = new KillablePublisher(
        new KafkajsPublisher(
          createKafkaClient({ brokers: brokers.split(','), clientId: name, logger: log.logger, fast: true }),
        ),
      );
      const relay = new EventRelay(handle.store, handle.db, publisher, hmacPseudonymiser('l'.repeat(32)), {
        topics,
        partitions: 3,
        lease: { ...lease, durationMs },
        owner: name,
        logger: log.logger,
        backoff: { initialMs: 20, maxMs: 200 },
      });
      const p = { name, handle, publisher, relay };
      processes.push(p);
      await relay.start();
      return p;
    };
    /** What SIGKILL leaves: sessions cut, no pool, no broker connection, the lease row as it was. */
    const kill = async (p: RelayProcess) => {
      await p.publisher.kill();
      await terminateSessions(p.name);
      await p.handle.store.close().catch(() => undefined);
    };
    const terminateSessions = async (applicationName: string): Promise<number> => {
      const admin = new Client({ connectionString: database.url });
      await admin.connect();
      try {
        const { rows } = await admin.query(
          'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        return rows.length;
      } finally {
        await admin.end();
      }
    };
    const appended: string[] = [];
    const append = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const caseId = randomUUID();
        const eventId = randomUUID();
        await api.store.appendToStream(
          `case-${caseId}`,
          [
            {
              eventId,
              type: 'CustomerReplied',
              data: { caseId, at: new Date().toISOString(), byId: 'a', endsWait: false },
            },
          ],
          'no-stream',
        );
        appended.push(eventId);
      }
    };
    const savedPosition = async () =>
      Number(
        (
          await api.db.query<{ global_position: string }>(
            "SELECT global_position FROM checkpoints WHERE component = 'messaging' AND name = $1",
            [KAFKA_RELAY_NAME],
          )
        ).rows[0]?.global_position ?? 0,
      );
    /** the last event committed, in log order (readAll would hide it while an older transaction is open) */
    const lastPosition = async () =>
      Number(
        (
          await api.db.query<{ global_position: string }>(
            'SELECT global_position FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
          )
        ).rows[0].global_position,
      );
    const describeAll = () =>
      `${processes.map((p) => `${p.name}: ${JSON.stringify(p.relay.status())}`).join('\n')}\n${log.tail()}`;
    const drained = () => waitFor(async () => (await savedPosition()) === (await lastPosition()), describeAll);
    const read = async (topic: string, expected: string[]) => {
      const reader = await TopicReader.start(kafka, topic);
      readers.push(reader);
      const ids = () => reader.messages.map((m) => (JSON.parse(m.value!) as CaseEventEnvelope).eventId);
      await reader.until(
        () => {
          const seen = new Set(ids());
          return expected.every((id) => seen.has(id));
        },
        () => `${expected.filter((id) => !ids().includes(id)).length} of ${expected.length} events missing`,
        30_000,
      );
      return ids();
    };
    const newTopics = () => {
      const topics = caseTopics(`test.leader-${randomUUID()}`);
      usedTopics.push(...relayTopicNames(topics));
      return topics;
    };

    beforeEach(async () => {
      database = await createTestDatabase(databaseUrl);
      api = await createEventStore({ databaseUrl: database.url, poolSize: 2 });
      appended.length = 0;
    });

    afterEach(async () => {
      await Promise.all(readers.splice(0).map((r) => r.stop().catch(() => undefined)));
      await Promise.all(processes.map((p) => p.relay.stop()));
      await Promise.all(processes.map((p) => p.handle.store.close().catch(() => undefined)));
      processes = [];
      await api?.store.close();
      await database?.drop();
    });

    afterAll(async () => {
      await deleteTopicsAndGroups(kafka, usedTopics, []);
    });

    it('publishes each event once while two relays run: one leads, the other stands by', async () => {
      const topics = newTopics();
      const [a, b] = await Promise.all([startProcess('relay-a', topics), startProcess('relay-b', topics)]);
      await append(60);
      await drained();
      const [leader, standby] = a.relay.status().leader ? [a, b] : [b, a];
      expect(leader.relay.status()).toMatchObject({ leader: true, state: 'running' });
      expect(standby.relay.status()).toMatchObject({ leader: false, state: 'standby', publishedEvents: 0 });
      expect((await relayLeaseHolder(api.db, KAFKA_RELAY_NAME))?.owner).toBe(leader.name);

      const ids = await read(topics.caseEvents, appended);
      expect(ids).toHaveLength(appended.length); // none twice
      expect([...ids].sort()).toEqual([...appended].sort());
    });

    it('when the leader is killed without giving the lease up, the standby takes over and publishes the rest', async () => {
      const topics = newTopics();
      const a = await startProcess('relay-a', topics);
      await waitFor(() => a.relay.status().leader, describeAll);
      const b = await startProcess('relay-b', topics);
      await waitFor(() => b.relay.status().state === 'standby', describeAll);
      await append(40);
      await drained();
      expect(b.relay.status().publishedEvents).toBe(0);

      const writing = append(40); // the API goes on writing while the leader dies
      await kill(a);
      // not given up: the row still names the dead leader (read at once: once the lease has
      // expired, a busy machine may have let the standby take it before the appends end)
      expect((await relayLeaseHolder(api.db, KAFKA_RELAY_NAME))?.owner).toBe('relay-a');
      await writing;
      // once the lease has expired, the standby's poll takes it (no clock budget: a loaded CI is slow)
      await waitFor(() => b.relay.status().leader, describeAll);
      expect((await relayLeaseHolder(api.db, KAFKA_RELAY_NAME))?.owner).toBe('relay-b');
      await append(20);
      await drained();
      expect(b.relay.status().publishedEvents).toBeGreaterThan(0);

      const ids = await read(topics.caseEvents, appended);
      expect(new Set(ids).size).toBe(appended.length); // every event, none lost (a batch may repeat)
    });

    it('when the leader is killed, the standby takes over once its presence is gone, long before a ten-minute lease expires', async () => {
      const topics = newTopics();
      const long = { durationMs: 600_000 };
      const a = await startProcess('relay-a', topics, long);
      await waitFor(() => a.relay.status().leader, describeAll);
      const b = await startProcess('relay-b', topics, long);
      await waitFor(() => b.relay.status().state === 'standby', describeAll);
      await append(20);
      await drained();

      await kill(a);
      // the row still says relay-a for ten minutes; the standby found its presence lock gone
      await waitFor(() => b.relay.status().leader, describeAll);
      const holder = await relayLeaseHolder(api.db, KAFKA_RELAY_NAME);
      expect(holder?.owner).toBe('relay-b');
      await append(20);
      await drained();
      expect(b.relay.status().publishedEvents).toBeGreaterThan(0);
      const ids = await read(topics.caseEvents, appended);
      expect(new Set(ids).size).toBe(appended.length);
    });

    it('a leader whose connections are terminated reconnects and keeps leading; the standby never publishes', async () => {
      const topics = newTopics();
      const a = await startProcess('relay-a', topics);
      await waitFor(() => a.relay.status().leader, describeAll);
      const b = await startProcess('relay-b', topics);
      await waitFor(() => b.relay.status().state === 'standby', describeAll);
      const writing = append(60);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await terminateSessions('relay-a')).toBeGreaterThan(0);
      await writing;
      await drained();
      expect(a.relay.status().leader).toBe(true);
      expect(b.relay.status()).toMatchObject({ leader: false, publishedEvents: 0 });
      const ids = await read(topics.caseEvents, appended);
      expect(new Set(ids).size).toBe(appended.length);
    });
  });
});
