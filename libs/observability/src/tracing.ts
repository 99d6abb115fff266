import {
  context,
  isSpanContextValid,
  SpanStatusCode,
  trace,
  type Attributes,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
} from '@opentelemetry/api';

/**
 * Spans of our own code (the command door, the projection runner, the Kafka relay), over
 * the OpenTelemetry API only. Without a started SDK (tracing-sdk.ts: no
 * OTEL_EXPORTER_OTLP_ENDPOINT) the API's tracer is a no-op: a span is a non-recording object
 * without a trace context, nothing is kept, and {@link activeTraceparent} finds no trace.
 */
export const TRACER_NAME = 'support-case-backend';

/** Resolves to the SDK's tracer once one is registered (the API's proxy), so it may be taken at load. */
const tracer = trace.getTracer(TRACER_NAME);

const failed = (span: Span, error: unknown): void => {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
};

/**
 * Runs `work` in a new span, active for everything `work` awaits (so spans started inside,
 * `pg` queries included, are its children). A throw marks the span as an error and goes on.
 * Without a trace (no SDK started: the no-op tracer's span has no valid context) `work` runs
 * directly, with no context switch and no extra promise: tracing off costs next to nothing.
 * A span that is valid but not recorded (sampled out) is still made active, so its children
 * follow the parent's sampling decision.
 */
export const inSpan = <T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> => {
  const span = tracer.startSpan(name, options);
  if (!isSpanContextValid(span.spanContext())) return work(span);
  return context.with(trace.setSpan(context.active(), span), async () => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
};

/** {@link inSpan} for synchronous work (a pure decision). */
export const inSpanSync = <T>(name: string, options: SpanOptions, work: (span: Span) => T): T => {
  const span = tracer.startSpan(name, options);
  if (!isSpanContextValid(span.spanContext())) return work(span);
  return context.with(trace.setSpan(context.active(), span), () => {
    try {
      return work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
};

/** The W3C trace context header (version 00): `00-<trace id>-<parent span id>-<flags>`. */
export const TRACEPARENT_HEADER = 'traceparent';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The W3C `traceparent` of a span context; undefined for an invalid one (no trace). */
export const formatTraceparent = (context: SpanContext): string | undefined =>
  isSpanContextValid(context)
    ? `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`
    : undefined;

/** The `traceparent` of the active span, if a trace is being recorded here. */
export const activeTraceparent = (): string | undefined => {
  const span = trace.getActiveSpan();
  return span ? formatTraceparent(span.spanContext()) : undefined;
};

/** A span context read from a `traceparent` value (an event's metadata, a header); undefined if it is not one. */
export const parseTraceparent = (value: unknown): SpanContext | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const context: SpanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16),
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : undefined;
};

/**
 * Links to the spans these `traceparent` values name (an event's metadata, a message's
 * header), distinct and well formed only, at most `max`: a batch that runs in its own trace
 * (a projection's, the relay's, a consumer's) points back to the commands it carries.
 */
export const linksToTraceparents = (values: Iterable<unknown>, max = 64): Link[] => {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    if (links.length >= max) break;
    if (typeof value !== 'string' || seen.has(value)) continue;
    seen.add(value);
    const context = parseTraceparent(value);
    if (context) links.push({ context });
  }
  return links;
};

/** {@link linksToTraceparents} of the events' `metadata.traceparent`. */
export const linksToCauses = (
  events: readonly { readonly metadata: { readonly [key: string]: unknown } }[],
  max = 64,
): Link[] =>
  linksToTraceparents(
    events.map((e) => e.metadata.traceparent),
    max,
  );

/** `trace_id` and `span_id` of the active span for a log line (pino's mixin); nothing outside a trace. */
export const traceLogFields = (): { trace_id?: string; span_id?: string } => {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const context = span.spanContext();
  return isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : {};
};

export type { Attributes, Link, Span };
