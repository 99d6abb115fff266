import { activeTraceparent, inSpan } from './tracing';
import { startTracing, tracingWanted } from './tracing-sdk';

describe('startTracing: off unless an OTLP endpoint is set', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'TRUE' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'false' }, true],
  ])('%j: %s', (env, wanted) => {
    expect(tracingWanted(env)).toBe(wanted);
  });

  it('starts nothing without an endpoint: spans run their work, no trace context exists', async () => {
    expect(startTracing({ serviceName: 'test', env: {} })).toBeUndefined();
    const seen = await inSpan('command OpenCase', {}, async (span) => ({
      recording: span.isRecording(),
      traceparent: activeTraceparent(),
    }));
    expect(seen).toEqual({ recording: false, traceparent: undefined });
    // a throw still reaches the caller
    await expect(inSpan('command OpenCase', {}, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
