/**
 * OpenTelemetry for the worker process (docs/tracing.md): main.ts imports this module first,
 * so the SDK and its instrumentations are in place before anything requires `http`, Fastify
 * or `pg` (an instrumentation patches a module as it is loaded; one loaded earlier goes
 * untraced). Nothing starts unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 *
 * An explicit first import rather than `node --require`: the process traces however it is
 * started (npm start, npm run worker, a bare `node dist/apps/worker/src/main.js`, a container's
 * command line) and there is no second file to keep in step with the scripts. It only holds
 * while this stays main.ts's first import, and the SDK module imports nothing of ours.
 */
import { startTracing } from '../../../libs/observability/src/tracing-sdk';

export const tracing = startTracing({ serviceName: 'support-case-worker' });

/**
 * Exports the spans still buffered when the process is asked to stop. Called once Nest's own
 * shutdown hooks are in place: they close the app and end the process, this only flushes
 * meanwhile (a listener of ours alone would keep the signal from ending the process).
 */
export const flushTracesOnShutdown = (): void => {
  if (!tracing) return;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void tracing?.shutdown());
};
