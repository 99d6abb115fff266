/**
 * OpenTelemetry for the analytics consumer (docs/tracing.md): main.ts imports this module
 * first, so the `pg` instrumentation is in place before `pg` is loaded. Nothing starts
 * unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Each batch's span links to the commands that
 * caused its events, from their `traceparent` headers.
 */
import { startTracing } from '../../../libs/observability/src/tracing-sdk';

export const tracing = startTracing({ serviceName: 'support-case-analytics-consumer' });
