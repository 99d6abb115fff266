/**
 * Benchmark: what tracing adds to a write and to a log line (docs/tracing.md, "What it costs"),
 * measured in isolation, since bench:http on a shared machine cannot see a few microseconds in
 * a millisecond request.
 *   - per write: the span pattern of StreamWriter (`command` around `decide` and `append`,
 *     `activeTraceparent()` inside the append) against the same three calls without spans,
 *     with tracing off (no SDK: the API's no-op tracer) and on (the SDK with a processor that
 *     drops every span, so the export costs nothing here);
 *   - per log line: pino with the trace mixin (createLogger) against the same pino without it,
 *     to a stream that drops the bytes, outside and inside a span.
 * Each figure is the best of 5 runs of N iterations after a warm-up. The last line is
 *   {"bench":"tracing-overhead","offNsPerWrite":…,"onNsPerWrite":…,"mixinOffNsPerLine":…,"mixinOnNsPerLine":…}
 * (each the difference to the same work untraced).
 *
 * Run it compiled, from the repository root:
 *   rm -rf /tmp/to-dist && npx swc test/bench libs -d /tmp/to-dist -q \
 *     && NODE_PATH=$PWD/node_modules node /tmp/to-dist/test/bench/tracing-overhead.bench.js
 */
import { Writable } from 'node:stream';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { activeTraceparent, createLogger, inSpan, inSpanSync } from '../../libs/observability/src';
import { startTracing } from '../../libs/observability/src/tracing-sdk';

const WRITES = 200_000;
const LINES = 200_000;
const RUNS = 5;

let sink = 0;
const decideWork = (i: number) => (i * 2654435761) >>> 0;

const plainWrite = async (i: number) => {
  const decided = decideWork(i);
  const appended = await Promise.resolve(decided);
  sink ^= appended;
};

const tracedWrite = (i: number) =>
  inSpan('command Bench', { attributes: { 'stream.id': 'bench-1' } }, async (span) => {
    const decided = inSpanSync('decide', { attributes: { attempt: 1 } }, () => decideWork(i));
    const appended = await inSpan('append', { attributes: { attempt: 1 } }, async () => {
      const traceparent = activeTraceparent();
      return Promise.resolve(traceparent ? decided + 1 : decided);
    });
    if (span.isRecording()) span.setAttribute('command.events', 1);
    sink ^= appended;
  });

/** best ns per call of `work` over RUNS runs of `n` calls */
const timeAsync = async (n: number, work: (i: number) => Promise<void>): Promise<number> => {
  for (let i = 0; i < n / 4; i += 1) await work(i); // warm-up
  let best = Infinity;
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) await work(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / n);
  }
  return best;
};

const timeSync = (n: number, work: (i: number) => void): number => {
  for (let i = 0; i < n / 4; i += 1) work(i);
  let best = Infinity;
  for (let run = 0; run < RUNS; run += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) work(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / n);
  }
  return best;
};

const nullStream = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

const logCosts = () => {
  const withMixin = createLogger({ level: 'info', service: 'bench', destination: nullStream() });
  const without = pino(
    {
      level: 'info',
      base: { service: 'bench' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    nullStream(),
  );
  const line = (logger: pino.Logger) => (i: number) => logger.info({ caseId: 'c1', i }, 'request');
  const plain = timeSync(LINES, line(without));
  const mixed = timeSync(LINES, line(withMixin));
  const mixedInSpan = inSpanSync('request', {}, () => timeSync(LINES, line(withMixin)));
  return { plain, mixed, mixedInSpan };
};

const round = (ns: number) => Math.round(ns * 10) / 10;

const main = async () => {
  // off: no SDK started, exactly as a process without OTEL_EXPORTER_OTLP_ENDPOINT
  const plain = await timeAsync(WRITES, plainWrite);
  const off = await timeAsync(WRITES, tracedWrite);
  const logOff = logCosts();
  // on: the SDK as the apps start it, every span dropped by its processor
  const tracing = startTracing({ serviceName: 'bench', spanProcessors: [new NoopSpanProcessor()] });
  const on = await timeAsync(WRITES, tracedWrite);
  const logOn = logCosts();
  await tracing?.shutdown();
  console.log(
    `per write: untraced ${round(plain)} ns, tracing off ${round(off)} ns (+${round(off - plain)}), ` +
      `tracing on ${round(on)} ns (+${round(on - plain)}); ${WRITES} writes, best of ${RUNS}`,
  );
  console.log(
    `per log line: without the mixin ${round(logOff.plain)} ns, with it and tracing off ${round(logOff.mixed)} ns, ` +
      `tracing on inside a span ${round(logOn.mixedInSpan)} ns; ${LINES} lines, best of ${RUNS}`,
  );
  if (sink === 0.5) console.log(sink); // keeps the work from being optimised away
  console.log(
    JSON.stringify({
      bench: 'tracing-overhead',
      offNsPerWrite: round(off - plain),
      onNsPerWrite: round(on - plain),
      mixinOffNsPerLine: round(logOff.mixed - logOff.plain),
      mixinOnNsPerLine: round(logOn.mixedInSpan - logOn.plain),
    }),
  );
};

void main();
