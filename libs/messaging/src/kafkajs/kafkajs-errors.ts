import { PublishFailed } from '../messaging.errors';

interface KafkaJsErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly retriable?: boolean;
  readonly originalError?: KafkaJsErrorLike;
}

/**
 * kafkajs errors carry `retriable`; after its own retries it throws
 * KafkaJSNumberOfRetriesExceeded (not retriable) around the error that kept failing, whose
 * flag is the one that says whether waiting can help (a broker that is down: yes).
 */
export const toPublishFailed = (error: unknown, doing: string): PublishFailed => {
  const e = (error ?? {}) as KafkaJsErrorLike;
  const cause = e.originalError ?? e;
  const retriable = cause.retriable ?? e.retriable ?? true;
  const detail = e.originalError ? `${e.message}: ${cause.message}` : (e.message ?? String(error));
  return new PublishFailed(`${doing} failed: ${detail}`, retriable, { cause: error });
};
