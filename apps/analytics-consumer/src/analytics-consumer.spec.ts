import { randomUUID } from 'node:crypto';
import { openDatabase, type SqlDatabase } from '@app/event-store';
import type { CaseEventEnvelope, ConsumedBatch, ConsumedMessage, MessageConsumer } from '@app/messaging';
import { startInMemoryTracing } from '../../../libs/observability/src/testing/in-memory-tracing';
import { AnalyticsConsumer } from './analytics-consumer';

const topic = 'unit.case-events.v1';
const noConsumer: MessageConsumer = { run: async () => undefined, stop: async () => undefined };

const envelope = (caseId: string, type: string, at: string, data: Record<string, unknown> = {}): CaseEventEnvelope => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  caseId,
  tenant: 'acme.example',
  occurredAt: at,
  position: 1,
  data: { caseId, at, byId: 'p', ...data },
});

const batch = (partition: number, first: number, values: (CaseEventEnvelope | string)[]): ConsumedBatch => ({
  topic,
  partition,
  messages: values.map((value, i): ConsumedMessage => ({
    topic,
    partition,
    offset: String(first + i),
    key: null,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    headers: {},
  })),
});

describe('AnalyticsConsumer.apply (PGlite)', () => {
  let db: SqlDatabase;
  let consumer: AnalyticsConsumer;

  // one in-memory database for the suite (PGlite takes a second or two to start): each test
  // starts from empty tables, which is what rebuild() gives (its own test checks that)
  beforeAll(async () => {
    db = await openDatabase({});
    consumer = new AnalyticsConsumer(db, noConsumer, { topic });
  });
  beforeEach(() => consumer.rebuild());
  afterAll(() => db.close());

  const daily = async () =>
    (
      await db.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, cases_opened, first_responses, first_responses_with_sla,
                first_responses_within_sla, resolutions, csat_responses, csat_rating_sum, csat_satisfied
         FROM analytics_daily_metrics ORDER BY day`,
      )
    ).rows;
  const nextOffset = async (partition: number) =>
    (
      await db.query<{ n: string }>(
        'SELECT next_offset::text AS n FROM analytics_offsets WHERE topic = $1 AND partition = $2',
        [topic, partition],
      )
    ).rows[0]?.n;

  it('counts an event once, however often it is delivered', async () => {
    const opened = envelope('c-1', 'Opened', '2026-03-02T09:00:00.000Z');
    await consumer.apply(batch(0, 0, [opened]));
    await consumer.apply(batch(0, 0, [opened])); // the same offset again (a redelivery)
    await consumer.apply(batch(0, 1, [opened])); // the same event at a new offset (the relay sent it twice)
    expect(await daily()).toEqual([expect.objectContaining({ day: '2026-03-02', cases_opened: 1 })]);
    expect(await nextOffset(0)).toBe('2');
  });

  it('skips messages below the saved offset and never moves the offset back', async () => {
    await consumer.apply(batch(1, 0, [envelope('c-1', 'Opened', '2026-03-02T09:00:00.000Z')]));
    await consumer.apply(batch(1, 1, [envelope('c-2', 'Opened', '2026-03-02T10:00:00.000Z')]));
    // offset 0 again, with another event: already applied as far as the table knows
    await consumer.apply(batch(1, 0, [envelope('c-3', 'Opened', '2026-03-02T11:00:00.000Z')]));
    expect(await daily()).toEqual([expect.objectContaining({ cases_opened: 2 })]);
    expect(await nextOffset(1)).toBe('2');
  });

  it('counts first responses within SLA, and takes one out when its breach is recorded late', async () => {
    const sla = { sla: { firstResponseDueAt: '2026-03-02T10:00:00.000Z' } };
    await consumer.apply(
      batch(0, 0, [
        envelope('in-time', 'Opened', '2026-03-02T09:00:00.000Z', sla),
        envelope('in-time', 'AgentResponded', '2026-03-02T09:30:00.000Z', { firstResponse: true }),
        envelope('late', 'Opened', '2026-03-02T09:00:00.000Z', sla),
        envelope('late', 'SlaBreached', '2026-03-02T10:00:01.000Z', { clock: 'first-response', cycle: 1 }),
        envelope('late', 'InfoRequested', '2026-03-02T11:00:00.000Z', { firstResponse: true }),
        envelope('late-timer', 'Opened', '2026-03-02T09:00:00.000Z', sla),
        envelope('late-timer', 'AgentResponded', '2026-03-02T10:30:00.000Z', { firstResponse: true }),
        envelope('no-sla', 'Opened', '2026-03-02T09:00:00.000Z'),
        envelope('no-sla', 'AgentResponded', '2026-03-02T09:05:00.000Z', { firstResponse: true }),
        envelope('no-sla', 'AgentResponded', '2026-03-02T09:06:00.000Z', { firstResponse: false }),
      ]),
    );
    expect(await daily()).toEqual([
      expect.objectContaining({ first_responses: 4, first_responses_with_sla: 3, first_responses_within_sla: 2 }),
    ]);
    // the breach of 'late-timer' comes the next day: the response of the day before is no longer within
    await consumer.apply(
      batch(0, 10, [
        envelope('late-timer', 'SlaBreached', '2026-03-03T00:00:05.000Z', { clock: 'first-response', cycle: 1 }),
      ]),
    );
    expect(await daily()).toEqual([expect.objectContaining({ day: '2026-03-02', first_responses_within_sla: 1 })]);
  });

  it("counts a reopened cycle's first response again, resolutions by outcome, and CSAT", async () => {
    await consumer.apply(
      batch(0, 0, [
        envelope('c', 'Opened', '2026-03-02T09:00:00.000Z'),
        envelope('c', 'AgentResponded', '2026-03-02T09:05:00.000Z', { firstResponse: true }),
        envelope('c', 'Resolved', '2026-03-02T10:00:00.000Z', { outcome: 'cannot-reproduce', cycle: 1 }),
        envelope('c', 'Reopened', '2026-03-03T09:00:00.000Z', { cycle: 2 }),
        envelope('c', 'AgentResponded', '2026-03-03T09:05:00.000Z', { firstResponse: true }),
        envelope('c', 'Resolved', '2026-03-03T10:00:00.000Z', { outcome: 'solved', cycle: 2 }),
        envelope('c', 'SurveyAnswered', '2026-03-03T11:00:00.000Z', { rating: 4, cycle: 2 }),
      ]),
    );
    expect(await daily()).toEqual([
      expect.objectContaining({ day: '2026-03-02', first_responses: 1, resolutions: 1 }),
      expect.objectContaining({
        day: '2026-03-03',
        first_responses: 1,
        resolutions: 1,
        csat_responses: 1,
        csat_rating_sum: 4,
        csat_satisfied: 1,
      }),
    ]);
    const outcomes = await db.query('SELECT outcome, resolutions FROM analytics_daily_resolutions ORDER BY day');
    expect(outcomes.rows).toEqual([
      { outcome: 'cannot-reproduce', resolutions: 1 },
      { outcome: 'solved', resolutions: 1 },
    ]);
  });

  it('counts nothing for intake events (their own topic), should one reach it', async () => {
    const intakeId = randomUUID();
    const intake = (type: string, data: Record<string, unknown>) => ({
      eventId: randomUUID(),
      type,
      schemaVersion: 1,
      intakeId,
      tenant: 'acme.example',
      occurredAt: '2026-03-02T09:00:00.000Z',
      position: 1,
      data: { intakeId, at: '2026-03-02T09:00:00.000Z', byId: 'p', ...data },
    });
    await consumer.apply(
      batch(0, 0, [
        JSON.stringify(intake('IntakeStarted', { tenant: 'acme.example', language: 'fr' })),
        JSON.stringify(intake('CaseRequested', { caseId: 'c-9', channel: 'email' })),
        // even one named like a counted case event: it names no case
        JSON.stringify(intake('Opened', { caseId: 'c-9' })),
      ]),
    );
    expect(await daily()).toEqual([]);
    expect((await db.query('SELECT case_id FROM analytics_cases')).rows).toEqual([]);
    expect((await db.query('SELECT reason FROM analytics_rejected_messages')).rows).toEqual([]);
    expect(await nextOffset(0)).toBe('3');
  });

  it('sets aside a message that is not an envelope, and goes on', async () => {
    await consumer.apply(
      batch(2, 0, [
        '{not json',
        JSON.stringify({ type: 'Opened' }),
        envelope('c', 'Opened', '2026-03-02T09:00:00.000Z'),
      ]),
    );
    const rejected = await db.query(
      'SELECT "offset"::int AS "offset", reason FROM analytics_rejected_messages ORDER BY 1',
    );
    expect(rejected.rows).toEqual([
      { offset: 0, reason: 'not JSON' },
      { offset: 1, reason: 'no eventId' },
    ]);
    expect(await daily()).toEqual([expect.objectContaining({ cases_opened: 1 })]);
    expect(await nextOffset(2)).toBe('3');
  });

  it('empties every table on rebuild, offsets included', async () => {
    await consumer.apply(batch(0, 0, [envelope('c', 'Opened', '2026-03-02T09:00:00.000Z')]));
    await consumer.rebuild();
    expect(await daily()).toEqual([]);
    expect(await nextOffset(0)).toBeUndefined();
  });

  it('applies a batch in a span linked to the commands its messages name in their traceparent headers', async () => {
    const tracing = startInMemoryTracing();
    try {
      const traceparents = [
        '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      ];
      const caseId = randomUUID();
      const b = batch(0, 0, [
        envelope(caseId, 'Opened', '2026-03-02T09:00:00.000Z'),
        envelope(caseId, 'Routed', '2026-03-02T09:00:00.000Z'),
        envelope(caseId, 'AgentResponded', '2026-03-02T09:30:00.000Z'),
        envelope(caseId, 'CustomerReplied', '2026-03-02T09:40:00.000Z'),
      ]);
      // two events of one command, one of another, one without a header (written untraced)
      const headers = [traceparents[0], traceparents[0], traceparents[1], undefined];
      await consumer.apply({
        ...b,
        messages: b.messages.map((m, i): ConsumedMessage => {
          const traceparent = headers[i];
          return { ...m, headers: traceparent ? { traceparent } : {} };
        }),
      });
      const spans = (await tracing.spans()).filter((s) => s.name === 'analytics batch');
      expect(spans).toHaveLength(1);
      expect(spans[0].links.map((l) => `00-${l.context.traceId}-${l.context.spanId}-01`)).toEqual(traceparents);
      expect(spans[0].attributes).toMatchObject({
        'messaging.destination.name': topic,
        'messaging.batch.message_count': 4,
      });
      expect(await nextOffset(0)).toBe('4');
    } finally {
      await tracing.shutdown();
    }
  });
});
