import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Starting OpenTelemetry in a process (docs/tracing.md). Not exported from the library's
 * index: loading the SDK costs tens of milliseconds and most importers (every test file)
 * never trace. The apps load it from their first import (`apps/api/src/tracing.ts`,
 * `apps/worker/src/tracing.ts`), before anything requires `http`, Fastify or `pg`, so the
 * instrumentations can patch them.
 */
export interface TracingOptions {
  /** `service.name` unless OTEL_SERVICE_NAME says otherwise */
  readonly serviceName: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where spans go instead of the OTLP exporter (tests: an in-memory exporter). Given,
   * tracing starts whatever the environment says.
   */
  readonly spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  /** exports what is still buffered, then stops (idempotent) */
  shutdown(): Promise<void>;
}

/** Whether the environment asks for tracing: an OTLP endpoint (traces' own or the general one), and not disabled. */
export const tracingWanted = (env: NodeJS.ProcessEnv): boolean =>
  env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true' &&
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());

/**
 * Starts the SDK with the HTTP, Fastify (`@fastify/otel`, registered on every Fastify
 * instance as it is created) and `pg` instrumentations, W3C trace context propagation, and
 * spans sent in batches to the OTLP endpoint (protobuf over HTTP; the exporter reads the
 * standard OTEL_EXPORTER_OTLP_* variables). Traces only: no OpenTelemetry metrics or logs
 * (Prometheus and pino have those). Returns undefined, and starts nothing, when no
 * endpoint is set: the API's no-op tracer then serves every span for almost nothing.
 */
export const startTracing = (options: TracingOptions): Tracing | undefined => {
  const env = options.env ?? process.env;
  if (!options.spanProcessors && !tracingWanted(env)) return undefined;
  const instrumentations = [
    new HttpInstrumentation({
      // the probes and the scrapes would be most of the traces and say nothing
      ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|\?|$)/.test(request.url ?? ''),
    }),
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      ignorePaths: (route) => /^\/(health|metrics)(\/|$)/.test(route.url),
    }),
    // a query outside any request, batch or command (a lease renewal, a poll) starts no trace of its own
    new PgInstrumentation({ requireParentSpan: true }),
  ];
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() ? undefined : options.serviceName,
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter())],
    // traces only: metrics are Prometheus' (/metrics), logs pino's (stdout)
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations,
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    shutdown: () =>
      (stopped ??= sdk
        .shutdown()
        .catch(() => undefined)
        .finally(() => {
          // unpatched and unregistered, so that another start in this process (a test) begins afresh
          for (const instrumentation of instrumentations) instrumentation.disable();
          trace.disable();
          context.disable();
          propagation.disable();
        })),
  };
};
