import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainRuleViolation } from '@app/case-domain';

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

const problemType = (code: string) => `https://support-backend.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`;

const hasStatus = (e: unknown): e is WithStatus =>
  e instanceof Error && typeof (e as Partial<WithStatus>).status === 'number';

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
};

const titleOf = (status: number) => STATUS_CODES[status] ?? 'Error';

const fromHttpException = (e: HttpException): Problem => {
  const status = e.getStatus();
  const response = e.getResponse() as string | { message?: unknown; code?: string; errors?: Problem['errors'] };
  const body = typeof response === 'string' ? { message: response } : response;
  const detail = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? e.message);
  const code = body.code ?? codeOf(e) ?? `HTTP.${(STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_')}`;
  return { type: problemType(code), title: titleOf(status), status, detail, code, ...(body.errors ? { errors: body.errors } : {}) };
};

/** Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode and a FST_ code. */
const fromFastifyError = (e: Error & { statusCode: number; code?: string }): Problem => {
  const status = e.statusCode;
  const code =
    status === HttpStatus.PAYLOAD_TOO_LARGE ? 'HTTP.PAYLOAD_TOO_LARGE' : status === 400 ? 'HTTP.MALFORMED_BODY' : (e.code ?? 'HTTP.ERROR');
  const detail = status === HttpStatus.PAYLOAD_TOO_LARGE ? 'The request body is larger than the 1 MB this API accepts.' : e.message;
  return { type: problemType(code), title: titleOf(status), status, detail, code };
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
    return { type: problemType(code), title: titleOf(e.status), status: e.status, detail: e.message, code, ...(errors ? { errors } : {}) };
  }
  const statusCode = (e as { statusCode?: unknown })?.statusCode;
  if (e instanceof Error && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return fromFastifyError(e as Error & { statusCode: number });
  }
  return {
    type: problemType('INTERNAL'),
    title: titleOf(500),
    status: 500,
    detail: 'The server failed to handle this request; it has been logged.',
    code: 'INTERNAL',
  };
};
