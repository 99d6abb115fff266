import { Kafka, logLevel, type logCreator, type RetryOptions } from 'kafkajs';
import type { Logger } from '@app/observability';

export interface KafkaClientOptions {
  /** bootstrap servers, `host:port` (use 127.0.0.1, not localhost: Node may try ::1 first) */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** kafkajs' own WARN and ERROR lines go here; default: nowhere */
  readonly logger?: Logger;
  /** short timeouts and retries, for tests; default: on under NODE_ENV=test (as kafkajs' own tests do) */
  readonly fast?: boolean;
}

export interface KafkaTimings {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly retry: RetryOptions;
}

export const isFastByDefault = (): boolean => process.env.NODE_ENV === 'test';

/**
 * kafkajs' timeouts and its own retries. They are bounded: the relay and the consumer
 * retry on top of them with their own backoff, so that an outage is visible (logged,
 * reported in `status()`) instead of hidden in a send that never returns.
 */
export const kafkaTimings = (fast: boolean = isFastByDefault()): KafkaTimings =>
  fast
    ? {
        connectionTimeout: 3_000,
        requestTimeout: 10_000,
        retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 3 },
      }
    : {
        connectionTimeout: 10_000,
        requestTimeout: 30_000,
        retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
      };

/**
 * The relay retries every failed send itself, with the same producer id or a new one;
 * delivery is at-least-once by design and consumers dedupe, so kafkajs' warning that
 * bounded retries "may invalidate EoS guarantees" says nothing we rely on.
 */
const IGNORED = ['Limiting retries for the idempotent producer may invalidate EoS guarantees'];

/** Routes kafkajs' log lines to pino, one JSON line each, with the kafkajs namespace. */
export const pinoLogCreator =
  (logger?: Logger): logCreator =>
  () =>
  ({ namespace, level, log }) => {
    if (!logger) return;
    const { message, timestamp: _t, logger: _l, ...extra } = log as { message: string; [key: string]: unknown };
    if (IGNORED.includes(message)) return;
    const line = { kafkajs: namespace, ...extra };
    if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(line, message);
    else if (level === logLevel.WARN) logger.warn(line, message);
    else logger.debug(line, message);
  };

/** A kafkajs client; nothing outside libs/messaging imports kafkajs. */
export const createKafkaClient = ({ brokers, clientId, logger, fast }: KafkaClientOptions): Kafka =>
  new Kafka({
    clientId,
    brokers: brokers.map((broker) => broker.trim()),
    ...kafkaTimings(fast),
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
  });
