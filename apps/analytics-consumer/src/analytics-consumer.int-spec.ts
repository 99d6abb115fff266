/**
 * The analytics consumer against the real broker (infra/kafka) and PostgreSQL: a real
 * consumer group reads envelopes as the relay publishes them (duplicates and an unreadable
 * message included), keeps daily metrics, resumes after a restart without counting twice,
 * and a rebuild from offset 0, or a fresh database and group, gives the same tables.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { openDatabase, type RecordedEvent, type SqlDatabase } from '@app/event-store';
import {
  caseTopics,
  createKafkaClient,
  envelopeHeaders,
  hmacPseudonymiser,
  KafkajsConsumer,
  KafkajsPublisher,
  toPublishableEvent,
  type OutgoingMessage,
} from '@app/messaging';
import { caseEventMessageErrors } from '../../../libs/messaging/src/testing/contracts';
import { deleteTopicsAndGroups, memoryLog } from '../../../libs/messaging/src/testing/kafka-test-kit';
import { createTestDatabase, describeWithService, waitFor, type TestDatabase } from '@app/testing';
import { AnalyticsConsumer } from './analytics-consumer';
import { ANALYTICS_TABLES } from './analytics.migrations';

const pseudonymise = hmacPseudonymiser('analytics-int-spec-secret-32-chars!!');
const at0 = '2026-03-02T00:00:00.000Z';
const SLA = { calendarId: 'europe-paris', calendarVersion: 1, policyVersion: 1, firstResponseTargetMs: 3_600_000 };

/** The messages the relay would publish for these events (same envelope, key and headers). */
class Scenario {
  private position = 0;
  private readonly versions = new Map<string, number>();
  readonly messages: OutgoingMessage[] = [];

  event(
    stream: string,
    type: string,
    at: string,
    data: Record<string, unknown> = {},
    tenant?: string,
  ): OutgoingMessage {
    const version = (this.versions.get(stream) ?? 0) + 1;
    this.versions.set(stream, version);
    const id = stream.slice(stream.indexOf('-') + 1);
    const recorded: RecordedEvent = {
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      data: { ...(stream.startsWith('case-') ? { caseId: id } : { incidentId: id }), at, byId: 'someone', ...data },
      metadata: { tenant },
      streamId: stream,
      streamVersion: version,
      globalPosition: ++this.position,
      transactionId: String(1000 + this.position),
      recordedAt: new Date(at),
    };
    const p = toPublishableEvent(recorded, pseudonymise)!;
    const message = { key: p.key, value: JSON.stringify(p.envelope), headers: envelopeHeaders(p.envelope) };
    this.messages.push(message);
    return message;
  }

  /** A case of `tenant` with `steps` as [type, at, data]; Opened gets the intake fields every case has. */
  case(tenant: string, steps: [string, string, Record<string, unknown>?][]): OutgoingMessage[] {
    const stream = `case-${randomUUID()}`;
    const intake = {
      tenant,
      requester: { id: 'admin-1', email: 'admin@example.org' },
      language: 'fr',
      channel: 'email',
      impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
      workaround: 'none',
    };
    const required: Record<string, Record<string, unknown>> = {
      Opened: intake,
      AgentResponded: { agentId: 'agent-1' },
      InfoRequested: { agentId: 'agent-1' },
      SlaBreached: { priority: 'P2', dueAt: at0, targetMs: 3_600_000, calendarVersion: 1, policyVersion: 1 },
      SurveyAnswered: { surveyId: `${stream}:survey` },
    };
    return steps.map(([type, at, data]) => this.event(stream, type, at, { ...required[type], ...data }, tenant));
  }
}

const acme = 'acme.example';
const globex = 'globex.example';

describeWithService('KAFKA_BROKERS', 'Kafka', 'analytics consumer (real consumer group)', (brokers) => {
  describeWithService('DATABASE_URL', 'PostgreSQL', 'with PostgreSQL', (databaseUrl) => {
    const topic = caseTopics(`test.analytics-${randomUUID()}`).caseEvents;
    const log = memoryLog();
    const kafka: Kafka = createKafkaClient({
      brokers: brokers.split(','),
      clientId: 'analytics-int-spec',
      logger: log.logger,
      fast: true,
    });
    const publisher = new KafkajsPublisher(kafka);
    const groups: string[] = [];
    const databases: TestDatabase[] = [];
    const dbs: SqlDatabase[] = [];
    const running: AnalyticsConsumer[] = [];

    const s = new Scenario();
    const caseA = s.case(acme, [
      [
        'Opened',
        '2026-03-02T09:00:00.000Z',
        { priority: 'P2', sla: { ...SLA, firstResponseDueAt: '2026-03-02T10:00:00.000Z' } },
      ],
      ['AgentResponded', '2026-03-02T09:30:00.000Z', { firstResponse: true }],
      ['Resolved', '2026-03-02T12:00:00.000Z', { outcome: 'solved', cycle: 1 }],
      ['SurveyAnswered', '2026-03-03T08:00:00.000Z', { rating: 5, cycle: 1 }],
    ]);
    s.case(acme, [
      [
        'Opened',
        '2026-03-02T10:00:00.000Z',
        { priority: 'P1', sla: { ...SLA, firstResponseDueAt: '2026-03-02T11:00:00.000Z' } },
      ],
      ['SlaBreached', '2026-03-02T11:00:01.000Z', { clock: 'first-response', cycle: 1 }],
      ['InfoRequested', '2026-03-02T11:30:00.000Z', { firstResponse: true, items: ['logs'] }],
      ['Resolved', '2026-03-03T09:00:00.000Z', { outcome: 'outage', cycle: 1 }],
      ['SurveyAnswered', '2026-03-03T10:00:00.000Z', { rating: 2, cycle: 1 }],
    ]);
    s.case(acme, [
      [
        'Opened',
        '2026-03-02T13:00:00.000Z',
        { priority: 'P3', sla: { ...SLA, firstResponseDueAt: '2026-03-02T14:00:00.000Z' } },
      ],
      ['AgentResponded', '2026-03-02T15:00:00.000Z', { firstResponse: true }],
      // the timer fired late: the breach is recorded after the (late) response
      ['SlaBreached', '2026-03-02T15:00:05.000Z', { clock: 'first-response', cycle: 1 }],
      ['Resolved', '2026-03-03T11:00:00.000Z', { outcome: 'cannot-reproduce', cycle: 1 }],
      ['Reopened', '2026-03-03T12:00:00.000Z', { cycle: 2 }],
      ['AgentResponded', '2026-03-03T12:10:00.000Z', { firstResponse: true }],
      ['Resolved', '2026-03-03T13:00:00.000Z', { outcome: 'solved', cycle: 2 }],
    ]);
    s.event(`incident-${randomUUID()}`, 'IncidentDeclared', '2026-03-02T08:00:00.000Z', {
      services: ['sso'],
      startedAt: '2026-03-02T07:30:00.000Z',
    });
    const firstPart = [...s.messages, ...caseA]; // the relay published case A twice (a retry)
    const caseD = s.case(globex, [
      ['Opened', '2026-03-03T09:00:00.000Z', { priority: 'P4' }],
      ['AgentResponded', '2026-03-03T09:05:00.000Z', { firstResponse: true }],
      ['AgentResponded', '2026-03-03T09:10:00.000Z', { firstResponse: false }],
      ['Resolved', '2026-03-03T10:00:00.000Z', { outcome: 'solved', cycle: 1 }],
      ['SurveyAnswered', '2026-03-03T11:00:00.000Z', { rating: 4, cycle: 1 }],
    ]);
    const unreadable: OutgoingMessage = { key: 'x', value: 'this is not an envelope' };

    const newDatabase = async () => {
      const database = await createTestDatabase(databaseUrl);
      databases.push(database);
      const db = await openDatabase({ databaseUrl: database.url });
      dbs.push(db);
      return db;
    };
    const start = async (db: SqlDatabase, groupId: string, options: { rebuild?: boolean } = {}) => {
      if (!groups.includes(groupId)) groups.push(groupId);
      const consumer = new AnalyticsConsumer(db, new KafkajsConsumer(kafka, { groupId, fast: true }), {
        topic,
        logger: log.logger,
      });
      if (options.rebuild) await consumer.rebuild();
      await consumer.start();
      running.push(consumer);
      return consumer;
    };
    const stop = async (consumer: AnalyticsConsumer) => {
      running.splice(running.indexOf(consumer), 1);
      await consumer.stop();
    };
    /** until the offsets table has every message of the topic */
    const caughtUp = async (db: SqlDatabase) => {
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
      let seen = '';
      await waitFor(
        async () => {
          const { rows } = await db.query<{ partition: number; next_offset: string }>(
            'SELECT partition, next_offset::text AS next_offset FROM analytics_offsets WHERE topic = $1',
            [topic],
          );
          const at = new Map(rows.map((r) => [Number(r.partition), r.next_offset]));
          seen = JSON.stringify({ ends, at: [...at] });
          return ends.every((p) => p.high === '0' || at.get(p.partition) === p.high);
        },
        () => `not caught up: ${seen}\n${log.tail()}`,
        { intervalMs: 25 },
      );
    };
    const dump = async (db: SqlDatabase) => {
      const tables: Record<string, unknown[]> = {};
      for (const table of ANALYTICS_TABLES) {
        const { rows } = await db.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY to_jsonb(t)::text`);
        tables[table] = rows.map((r) => r.row);
      }
      return tables;
    };
    const metrics = async (db: SqlDatabase) =>
      (
        await db.query(
          `SELECT to_char(day, 'YYYY-MM-DD') AS day, tenant, cases_opened, first_responses, first_responses_with_sla,
                  first_responses_within_sla, resolutions, csat_responses, csat_rating_sum, csat_satisfied
           FROM analytics_daily_metrics ORDER BY day, tenant`,
        )
      ).rows;

    beforeAll(async () => {
      await publisher.ensureTopics([{ topic, partitions: 3 }]);
      await publisher.publish([{ topic, messages: [...firstPart, unreadable] }]);
    });

    afterAll(async () => {
      await Promise.all(running.map((c) => c.stop().catch(() => undefined)));
      await publisher.disconnect();
      await deleteTopicsAndGroups(kafka, [topic], groups);
      await Promise.all(dbs.map((db) => db.close().catch(() => undefined)));
      await Promise.all(databases.map((d) => d.drop()));
    });

    let reference: Record<string, unknown[]>;

    it('keeps daily metrics: cases opened, first responses within SLA, resolutions by outcome, CSAT; deduped by eventId', async () => {
      for (const message of [...firstPart, ...caseD]) expect(caseEventMessageErrors(message)).toEqual([]);
      const db = await newDatabase();
      const group = `test.analytics.${randomUUID()}`;
      const first = await start(db, group);
      await caughtUp(db);
      await stop(first);

      // later messages, and a restart of the same group on the same tables: nothing counted twice
      await publisher.publish([{ topic, messages: caseD }]);
      await start(db, group);
      await caughtUp(db);

      expect(await metrics(db)).toEqual([
        {
          day: '2026-03-02',
          tenant: acme,
          cases_opened: 3,
          first_responses: 3,
          first_responses_with_sla: 3,
          first_responses_within_sla: 1,
          resolutions: 1,
          csat_responses: 0,
          csat_rating_sum: 0,
          csat_satisfied: 0,
        },
        {
          day: '2026-03-03',
          tenant: acme,
          cases_opened: 0,
          first_responses: 1,
          first_responses_with_sla: 1,
          first_responses_within_sla: 1,
          resolutions: 3,
          csat_responses: 2,
          csat_rating_sum: 7,
          csat_satisfied: 1,
        },
        {
          day: '2026-03-03',
          tenant: globex,
          cases_opened: 1,
          first_responses: 1,
          first_responses_with_sla: 0,
          first_responses_within_sla: 0,
          resolutions: 1,
          csat_responses: 1,
          csat_rating_sum: 4,
          csat_satisfied: 1,
        },
      ]);
      const outcomes = await db.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, tenant, outcome, resolutions FROM analytics_daily_resolutions ORDER BY 1, 2, 3`,
      );
      expect(outcomes.rows).toEqual([
        { day: '2026-03-02', tenant: acme, outcome: 'solved', resolutions: 1 },
        { day: '2026-03-03', tenant: acme, outcome: 'cannot-reproduce', resolutions: 1 },
        { day: '2026-03-03', tenant: acme, outcome: 'outage', resolutions: 1 },
        { day: '2026-03-03', tenant: acme, outcome: 'solved', resolutions: 1 },
        { day: '2026-03-03', tenant: globex, outcome: 'solved', resolutions: 1 },
      ]);
      const report = await db.query(
        `SELECT tenant, first_response_sla_percent::float AS sla, csat_average::float AS csat FROM analytics_daily_report
         WHERE day = '2026-03-03' ORDER BY tenant`,
      );
      expect(report.rows).toEqual([
        { tenant: acme, sla: 100, csat: 3.5 },
        { tenant: globex, sla: null, csat: 4 },
      ]);
      const processed = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM analytics_processed_events');
      expect(Number(processed.rows[0].n)).toBe(s.messages.length); // every event once, the duplicates of case A not again
      const rejected = await db.query('SELECT reason FROM analytics_rejected_messages');
      expect(rejected.rows).toEqual([{ reason: 'not JSON' }]);
      reference = await dump(db);
    });

    it('gives the same tables when rebuilt from offset 0, on the same database and group', async () => {
      const db = dbs[0];
      await Promise.all(running.splice(0).map((c) => c.stop()));
      await start(db, groups[0], { rebuild: true }); // the group's committed offsets are at the end: the tables decide
      await caughtUp(db);
      expect(await dump(db)).toEqual(reference);
    });

    it('gives the same tables from a fresh database with a new consumer group', async () => {
      const db = await newDatabase();
      await start(db, `test.analytics.${randomUUID()}`);
      await caughtUp(db);
      expect(await dump(db)).toEqual(reference);
    });
  });
});
