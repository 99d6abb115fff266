import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainRuleViolation } from '@app/case-domain';
import { isConnectionLoss, isUndefinedTable } from '@app/event-store';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly { field: string; messages: string[] }[];
  readonly [extra: string]: unknown;
}

/** Error classes that know their HTTP status (auth errors, our own HTTP-level errors). */
interface WithStatus {
  readonly status: number;
  readonly code?: string;
  readonly message: string;
}

/** Domain errors are pure (no HTTP in them); their `kind` decides the status here, once. */
const DOMAIN_STATUS: Record<DomainRuleViolation['kind'], number> = {
  conflict: HttpStatus.CONFLICT,
  'not-found': HttpStatus.NOT_FOUND,
  invalid: HttpStatus.BAD_REQUEST,
};

const problemType = (code: string) =>
  `https://support-backend.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`;

const hasStatus = (e: unknown): e is WithStatus =>
  e instanceof Error && typeof (e as Partial<WithStatus>).status === 'number';

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
};

const titleOf = (status: number) => STATUS_CODES[status] ?? 'Error';

const fromHttpException = (e: HttpException): Problem => {
  // Nest wraps Fastify's own 4xx errors (bad JSON, body too large) in an HttpException
  if (isFastifyError(e.cause)) return fromFastifyError(e.cause);
  const status = e.getStatus();
  const response = e.getResponse() as string | { message?: unknown; code?: string; errors?: Problem['errors'] };
  const body = typeof response === 'string' ? { message: response } : response;
  const detail = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? e.message);
  const code = body.code ?? codeOf(e) ?? `HTTP.${(STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_')}`;
  return {
    type: problemType(code),
    title: titleOf(status),
    status,
    detail,
    code,
    ...(body.errors ? { errors: body.errors } : {}),
  };
};

type FastifyError = Error & { statusCode: number; code: string };

const isFastifyError = (e: unknown): e is FastifyError =>
  e instanceof Error &&
  typeof (e as Partial<FastifyError>).statusCode === 'number' &&
  typeof (e as Partial<FastifyError>).code === 'string' &&
  (e as FastifyError).code.startsWith('FST_');

/** Fastify's own refusals, by their FST_ code: our code, and a detail when Fastify's says too little or too much. */
const FASTIFY_PROBLEMS: Record<string, { code: string; detail?: string }> = {
  FST_ERR_BAD_URL: { code: 'HTTP.MALFORMED_URL', detail: 'The URL path is not valid percent-encoded UTF-8.' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'HTTP.URI_TOO_LONG',
    detail: 'A path parameter is longer than the 2048 characters this API accepts.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'HTTP.PAYLOAD_TOO_LARGE',
    detail: 'The request body is larger than the 1 MB this API accepts.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'HTTP.MALFORMED_BODY',
    detail: 'The request body is not valid JSON (or it has a __proto__ or constructor.prototype key).',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'HTTP.MALFORMED_BODY',
    detail: 'The request body is empty but its Content-Type says JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'HTTP.MALFORMED_BODY',
    detail: 'The request body is not as long as its Content-Length says.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
    detail: 'This API reads JSON bodies only (Content-Type: application/json).',
  },
};

/** Fastify's own errors (router, body parsing) carry a statusCode and a FST_ code. */
const fromFastifyError = (e: Error & { statusCode: number; code?: string }): Problem => {
  const status = e.statusCode;
  const known = e.code === undefined ? undefined : FASTIFY_PROBLEMS[e.code];
  const code =
    known?.code ??
    (status === HttpStatus.PAYLOAD_TOO_LARGE
      ? 'HTTP.PAYLOAD_TOO_LARGE'
      : status === 400
        ? 'HTTP.MALFORMED_BODY'
        : (e.code ?? 'HTTP.ERROR'));
  const detail =
    known?.detail ??
    (status === HttpStatus.PAYLOAD_TOO_LARGE
      ? 'The request body is larger than the 1 MB this API accepts.'
      : e.message);
  return { type: problemType(code), title: titleOf(status), status, detail, code };
};

/** Seconds a client is told to wait (Retry-After) after a lost database connection: a new one is made at once. */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

/**
 * The database connection was lost, or none could be had (isConnectionLoss of
 * @app/event-store): 503, retriable. A write in flight may or may not have committed (its
 * COMMIT's answer may be what was lost), so it is never reported as done: the same request
 * with the same Idempotency-Key answers from the log.
 */
const storeUnavailable = (): Problem => ({
  type: problemType('STORE.UNAVAILABLE'),
  title: titleOf(HttpStatus.SERVICE_UNAVAILABLE),
  status: HttpStatus.SERVICE_UNAVAILABLE,
  detail:
    'The event store connection was lost while handling this request. Retry after Retry-After seconds; ' +
    'for a write, send the same Idempotency-Key: it may have been applied, and the retry answers from the log.',
  code: 'STORE.UNAVAILABLE',
  retriable: true,
});

/** Seconds a client is told to wait (Retry-After) for a read model that is not built yet. */
export const READ_MODEL_NOT_READY_RETRY_AFTER_SECONDS = 5;

/**
 * A read model's table does not exist yet (isUndefinedTable of @app/event-store): in
 * PostgreSQL mode the worker builds the read models, and it has not run on this database
 * yet. 503, retriable: nothing is wrong with the request.
 */
const readModelNotReady = (): Problem => ({
  type: problemType('READ_MODEL.NOT_READY'),
  title: titleOf(HttpStatus.SERVICE_UNAVAILABLE),
  status: HttpStatus.SERVICE_UNAVAILABLE,
  detail:
    'The read model this answer comes from has not been built yet: its projection has not run on this database ' +
    '(in PostgreSQL mode the worker builds it; is the worker running?). Retry after Retry-After seconds.',
  code: 'READ_MODEL.NOT_READY',
  retriable: true,
});

/**
 * A text search configuration that does not exist (42704 undefined_object): the help-articles
 * read model creates its own (`help_fr_v1`, …) with its first table, and its search names them
 * before the tables, so a search on a database its projection has not run on fails with this
 * rather than with 42P01. Not ready either.
 */
const isUndefinedSearchConfiguration = (e: unknown): boolean =>
  (e as { code?: unknown })?.code === '42704' &&
  /text search configuration .* does not exist/.test(String((e as { message?: unknown }).message));

/** Retry-After, in seconds, for an error a client may retry later; undefined for the others. */
export const retryAfterOf = (e: unknown): number | undefined => {
  const own = (e as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
  if (typeof own === 'number') return own; // WRITE.CONTENTION
  const { code } = toProblem(e);
  if (code === 'STORE.UNAVAILABLE') return STORE_UNAVAILABLE_RETRY_AFTER_SECONDS;
  if (code === 'READ_MODEL.NOT_READY') return READ_MODEL_NOT_READY_RETRY_AFTER_SECONDS;
  return undefined;
};

export const toProblem = (e: unknown): Problem => {
  if (e instanceof HttpException) return fromHttpException(e);
  if (e instanceof DomainRuleViolation) {
    const status = DOMAIN_STATUS[e.kind];
    return { type: problemType(e.code), title: titleOf(status), status, detail: e.message, code: e.code };
  }
  if (hasStatus(e) && e.status >= 400 && e.status < 600) {
    const code = e.code ?? 'HTTP.ERROR';
    const errors = (e as { errors?: Problem['errors'] }).errors;
    return {
      type: problemType(code),
      title: titleOf(e.status),
      status: e.status,
      detail: e.message,
      code,
      ...(errors ? { errors } : {}),
    };
  }
  const statusCode = (e as { statusCode?: unknown })?.statusCode;
  if (e instanceof Error && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return fromFastifyError(e as Error & { statusCode: number });
  }
  if (isConnectionLoss(e)) return storeUnavailable();
  if (isUndefinedTable(e) || isUndefinedSearchConfiguration(e)) return readModelNotReady();
  return {
    type: problemType('INTERNAL'),
    title: titleOf(500),
    status: 500,
    detail: 'The server failed to handle this request; it has been logged.',
    code: 'INTERNAL',
  };
};
