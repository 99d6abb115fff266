import { Writable } from 'node:stream';
import { createLogger, PinoNestLogger } from './logger';
import { startInMemoryTracing } from './testing/in-memory-tracing';
import { inSpan } from './tracing';

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
};

describe('logging', () => {
  it('writes JSON lines with level, time and service', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', service: 'api', destination }).info({ caseId: 'c1' }, 'opened');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'api', caseId: 'c1', msg: 'opened', time: expect.any(String) }),
    ]);
  });

  it('passes Nest log lines through pino with their context', () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger({ level: 'debug', service: 'api', destination }));
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    nest.debug('quiet');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
      expect.objectContaining({
        level: 'error',
        context: 'ExceptionsHandler',
        msg: 'boom',
        stack: 'Error: boom\n    at x',
      }),
      expect.objectContaining({ level: 'debug', msg: 'quiet' }),
    ]);
  });

  it('drops lines under the level', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'warn', service: 'api', destination }).info('hidden');
    expect(lines).toEqual([]);
  });

  it('carries the trace and span ids of the active span, and none outside a trace', async () => {
    const tracing = startInMemoryTracing();
    try {
      const { lines, destination } = capture();
      const logger = createLogger({ level: 'info', service: 'api', destination });
      logger.info('before');
      const inner = await inSpan('outer', {}, (outer) =>
        inSpan('inner', {}, async (span) => {
          await Promise.resolve(); // still inside after an await
          logger.info('inside');
          return { outer: outer.spanContext(), inner: span.spanContext() };
        }),
      );
      logger.info('after');
      expect(inner.inner.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(inner.inner.traceId).toBe(inner.outer.traceId);
      expect(lines.map(({ msg, trace_id, span_id }) => ({ msg, trace_id, span_id }))).toEqual([
        { msg: 'before', trace_id: undefined, span_id: undefined },
        { msg: 'inside', trace_id: inner.inner.traceId, span_id: inner.inner.spanId },
        { msg: 'after', trace_id: undefined, span_id: undefined },
      ]);
      // the spans were recorded and exported as well
      expect((await tracing.spans()).map((s) => s.name)).toEqual(['inner', 'outer']);
    } finally {
      await tracing.shutdown();
    }
  });
});
