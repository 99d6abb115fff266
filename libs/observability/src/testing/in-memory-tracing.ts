import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../tracing-sdk';

export interface InMemoryTracing {
  /** the spans ended so far (once exported: the processor waits for the resource's detected attributes) */
  spans(): Promise<ReadableSpan[]>;
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * Tracing as the apps start it (the same instrumentations), every ended span kept in memory
 * at once (a simple processor): for tests. Start it before the app under test is created.
 */
export const startInMemoryTracing = (serviceName = 'test'): InMemoryTracing => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  const tracing = startTracing({ serviceName, spanProcessors: [processor] });
  if (!tracing) throw new Error('tracing did not start');
  return {
    spans: async () => {
      await processor.forceFlush();
      return exporter.getFinishedSpans();
    },
    reset: () => exporter.reset(),
    shutdown: () => tracing.shutdown(),
  };
};
