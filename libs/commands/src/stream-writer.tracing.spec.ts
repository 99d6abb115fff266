import { SpanKind } from '@opentelemetry/api';
import { toArticleStreamId, type ArticleCommand } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { inSpan } from '@app/observability';
import { verifyHashChains } from '../../audit/src/chain-verifier';
import { startInMemoryTracing } from '../../observability/src/testing/in-memory-tracing';
import { testSla } from '../../sla/src/testing/test-sla';
import { standaloneDoor, type CommandDoor } from './command-door';
import { ChangeArticle } from './article/change-article';

/** The command door's spans (docs/tracing.md) and the traceparent it records in the events' metadata. */
describe('StreamWriter, traced', () => {
  let handle: EventStoreHandle;
  let door: CommandDoor;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const sam = { id: 'sam', role: 'supervisor' };
  const article = {
    id: 'traced-article-en',
    language: 'en',
    title: 'Tracing a write',
    body: 'Version 1.',
    products: ['cloud-identity'],
    problemCategories: ['passwords'],
    published: true,
  };
  const send = (type: ArticleCommand['type'], body: string) =>
    door.execute(new ChangeArticle({ command: { type, article: { ...article, body }, actor: sam }, actor: sam }));
  const metadataOf = async () =>
    (await handle.store.readStream(toArticleStreamId(article.id))).events.map((e) => e.metadata.traceparent);

  beforeAll(async () => {
    handle = await createEventStore();
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0 });
  });
  afterAll(() => handle.store.close());

  it('spans command <name> with decide and append children, records the append span as traceparent, and keeps the chain verifiable', async () => {
    // an event written before tracing was on: no traceparent
    await send('CreateArticle', 'Version 1.');
    const tracing = startInMemoryTracing();
    let requestTraceId = '';
    try {
      await inSpan('request', { kind: SpanKind.SERVER }, async (span) => {
        requestTraceId = span.spanContext().traceId;
        await send('ReviseArticle', 'Version 2.');
      });
      const spans = await tracing.spans();
      const byName = (name: string) => spans.filter((s) => s.name === name);
      const [request] = byName('request');
      const [command] = byName('command ReviseArticle');
      const [decide] = byName('decide');
      const [append] = byName('append');
      expect([request, command, decide, append].every(Boolean)).toBe(true);
      expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([requestTraceId]));
      expect(command.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(decide.parentSpanContext?.spanId).toBe(command.spanContext().spanId);
      expect(append.parentSpanContext?.spanId).toBe(command.spanContext().spanId);
      expect(command.attributes).toMatchObject({ 'stream.id': toArticleStreamId(article.id), 'command.events': 1 });
      expect(append.attributes).toMatchObject({ 'append.events': 1, 'stream.expected_version': 1 });
      expect(await metadataOf()).toEqual([undefined, `00-${requestTraceId}-${append.spanContext().spanId}-01`]);

      // a refusal: the command's span says so
      tracing.reset();
      await expect(
        door.execute(
          new ChangeArticle({
            command: { type: 'ReviseArticle', article: { ...article, id: 'never-created' }, actor: sam },
            actor: sam,
          }),
        ),
      ).rejects.toThrow();
      const refused = (await tracing.spans()).filter((s) => s.name === 'command ReviseArticle');
      expect(refused.map((s) => s.status.code)).toEqual([2]); // SpanStatusCode.ERROR
    } finally {
      await tracing.shutdown();
    }

    // tracing off again: nothing recorded
    await send('ReviseArticle', 'Version 3.');
    expect((await metadataOf())[2]).toBeUndefined();
    // events with and without a traceparent chain alike: the audit verification holds
    const report = await verifyHashChains(handle.db, { streamId: toArticleStreamId(article.id) });
    expect(report).toMatchObject({ ok: true, events: 3, firstBreak: null });
  });
});
