/**
 * Traced end to end (docs/tracing.md): one `POST /v1/cases` on the API in embedded mode, with
 * the projections and the Kafka relay in the same process and a real broker, OpenTelemetry
 * started as the apps start it (the same instrumentations) with an in-memory exporter. The
 * request's trace holds the command and its decide and append; the stored events record the
 * append's traceparent; the projection and relay batches link to that trace; the Kafka
 * messages carry the same traceparent as a header.
 */
import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { describeWithService, waitFor } from '@app/testing';
import type { CaseEventEnvelope } from '../../../libs/messaging/src/case-events/case-event-envelope';
import { createKafkaClient } from '../../../libs/messaging/src/kafkajs/kafkajs-client';
import { deleteTopicsAndGroups, memoryLog, TopicReader } from '../../../libs/messaging/src/testing/kafka-test-kit';
import { caseTopics, relayTopicNames } from '../../../libs/messaging/src/topics';
import { startInMemoryTracing, type InMemoryTracing } from '../../../libs/observability/src/testing/in-memory-tracing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { openCaseBody, testTokens, TEST_AUTH_SECRET } from './tokens';

describeWithService(
  'KAFKA_BROKERS',
  'Kafka',
  'tracing: one request through the door, the projections and Kafka',
  (brokers) => {
    const prefix = `test.tracing-${randomUUID()}`;
    const topics = caseTopics(prefix);
    const log = memoryLog();
    const kafka = createKafkaClient({
      brokers: brokers.split(','),
      clientId: 'tracing-int-spec',
      logger: log.logger,
      fast: true,
    });
    let tracing: InMemoryTracing;
    let t: ApiTestApp | undefined;
    let reader: TopicReader | undefined;

    beforeAll(async () => {
      // before the app: @fastify/otel hooks every Fastify instance as it is created
      tracing = startInMemoryTracing('support-case-api');
      t = await startApiTestApp({
        AUTH_SECRET: TEST_AUTH_SECRET,
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_PARTITIONS: '1',
        PSEUDONYM_SECRET: 't'.repeat(40),
      });
    });

    afterAll(async () => {
      await reader?.stop().catch(() => undefined);
      await t?.close();
      await tracing.shutdown();
      await deleteTopicsAndGroups(kafka, relayTopicNames(topics), reader ? [reader.groupId] : []);
    });

    it('puts the request, the command, its decide and append in one trace, and links the projection and relay batches and the Kafka header to it', async () => {
      const app = t as ApiTestApp;
      const { admin } = await testTokens();
      const opened = await request(app.app.getHttpServer())
        .post('/v1/cases')
        .set({ Authorization: `Bearer ${admin}` })
        .send(openCaseBody)
        .expect(201);
      const caseId: string = opened.body.id;

      // the stored events: both of the open's append (Opened, Routed) record its traceparent
      const { events } = await app.app.get<EventStore>(EVENT_STORE).readStream(`case-${caseId}`);
      expect(events.map((e) => e.type)).toEqual(['Opened', 'Routed']);
      const traceparent = events[0].metadata.traceparent as string;
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(events[1].metadata.traceparent).toBe(traceparent);
      const [, traceId, appendSpanId] = traceparent.split('-');

      // the spans: wait until the projection and relay batches that carried these events have ended
      const linked = (s: ReadableSpan) => s.links.some((l) => l.context.traceId === traceId);
      let spans: ReadableSpan[] = [];
      await waitFor(
        async () => {
          spans = await tracing.spans();
          return (
            spans.some((s) => s.name === 'relay batch' && linked(s)) &&
            spans.some((s) => s.name === 'projection batch case-summaries' && linked(s))
          );
        },
        () => `spans so far: ${spans.map((s) => s.name).join(', ')}\n${log.tail()}`,
      );
      const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
      const one = (name: string) => {
        const found = inTrace.filter((s) => s.name === name);
        expect(found.map((s) => s.name)).toEqual([name]);
        return found[0];
      };
      const command = one('command OpenCase');
      const decide = one('decide');
      const append = one('append');
      expect(decide.parentSpanContext?.spanId).toBe(command.spanContext().spanId);
      expect(append.parentSpanContext?.spanId).toBe(command.spanContext().spanId);
      expect(append.spanContext().spanId).toBe(appendSpanId);
      expect(append.attributes).toMatchObject({ 'append.events': 2, 'stream.expected_version': 0 });

      // the request's server span (HTTP instrumentation) is an ancestor of the command
      const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
      const ancestors: ReadableSpan[] = [];
      for (
        let s = byId.get(command.parentSpanContext?.spanId ?? '');
        s;
        s = byId.get(s.parentSpanContext?.spanId ?? '')
      )
        ancestors.push(s);
      const server = ancestors.find((s) => s.kind === SpanKind.SERVER);
      expect(server?.attributes).toMatchObject({ 'http.request.method': 'POST' });
      expect(ancestors.some((s) => s.name.startsWith('handler - '))).toBe(true); // @fastify/otel's handler span

      // the batches run in their own traces, each linked to the request's
      for (const batch of spans.filter(
        (s) => (s.name.startsWith('projection batch') || s.name === 'relay batch') && linked(s),
      )) {
        expect(batch.spanContext().traceId).not.toBe(traceId);
        expect(batch.links.find((l) => l.context.traceId === traceId)?.context.spanId).toBe(appendSpanId);
      }
      const relayBatch = spans.find((s) => s.name === 'relay batch' && linked(s));
      expect(relayBatch?.attributes['batch.published']).toBeGreaterThanOrEqual(2);

      // the Kafka messages carry the traceparent as a header: a consumer joins the request's trace
      reader = await TopicReader.start(kafka, topics.caseEvents);
      const ofCase = () =>
        (reader as TopicReader).messages.filter(
          (m) => (JSON.parse(m.value ?? '{}') as CaseEventEnvelope).caseId === caseId,
        );
      await (reader as TopicReader).until(
        () => ofCase().length >= 2,
        () => `the case's two events on ${topics.caseEvents}`,
      );
      expect(ofCase().map((m) => [m.headers['event-type'], m.headers.traceparent])).toEqual([
        ['Opened', traceparent],
        ['Routed', traceparent],
      ]);
      expect(ofCase()[0].headers.traceparent.split('-')[1]).toBe(server?.spanContext().traceId);

      // the probes are not traced: they would be most of the traces and say nothing
      tracing.reset();
      await request(app.app.getHttpServer()).get('/health/live').expect(200);
      await request(app.app.getHttpServer()).post('/v1/cases').send(openCaseBody).expect(401); // a traced request after it
      await waitFor(
        async () => (await tracing.spans()).some((s) => s.kind === SpanKind.SERVER),
        () => 'the second request traced',
      );
      const servers = (await tracing.spans()).filter((s) => s.kind === SpanKind.SERVER);
      expect(servers.map((s) => s.attributes['url.path'] ?? s.attributes['http.target'])).toEqual(['/v1/cases']);
    });
  },
);
