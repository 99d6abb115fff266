import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { traceLogFields } from './tracing';

export type { Logger } from 'pino';

/**
 * One JSON object per line on stdout (or `destination`), with the service name on every line,
 * and `trace_id`/`span_id` on a line written inside a traced span (docs/tracing.md).
 */
export const createLogger = (options: {
  level: string;
  service: string;
  destination?: pino.DestinationStream;
}): Logger =>
  pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceLogFields,
    },
    options.destination,
  );

/** Routes Nest's own log lines (bootstrap, module init) through pino, so every line is JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...context: unknown[]) {
    this.write('info', message, context);
  }
  error(message: unknown, ...context: unknown[]) {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]) {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, ...context: unknown[]) {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context: unknown[]) {
    // Nest passes the context (a class name) last; an error's stack may come before it
    const strings = context.filter((c): c is string => typeof c === 'string');
    const ctx = strings.length ? strings[strings.length - 1] : undefined;
    const stack = strings.length > 1 ? strings[0] : undefined;
    if (message instanceof Error) this.logger[level]({ context: ctx, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ context: ctx, ...message });
    else this.logger[level]({ context: ctx, ...(stack ? { stack } : {}) }, String(message));
  }
}
