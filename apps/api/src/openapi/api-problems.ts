import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDocument } from './problem-document';

/** The error statuses this API answers with a problem document, each documented where a route can give it. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 503;

/** A status with its default sentence, or a status and what it means on this route. */
export type ProblemSpec = ProblemStatus | readonly [ProblemStatus, string];

/** What each status means on most routes (the README's status table says the same). */
export const PROBLEM_DESCRIPTIONS: Readonly<Record<ProblemStatus, string>> = {
  400:
    'a bad parameter (HTTP.VALIDATION_FAILED, `errors` names the fields), a NUL character or an unpaired ' +
    'surrogate included',
  401: 'no bearer token, or a bad or expired one (with a `WWW-Authenticate: Bearer` challenge)',
  403: 'a missing right: the role may not do this (AUTH.FORBIDDEN), a missing Support privilege (R1), a consumer account (R2)',
  404: 'unknown, or not visible to the caller',
  409: 'a rule of the support policy refuses it; `code` and `detail` say which',
  412: 'If-Match names another version than the current one (CASE.STALE_VERSION)',
  413: 'the body is larger than 1 MB (HTTP.PAYLOAD_TOO_LARGE)',
  415: 'the body is not JSON: `Content-Type` must be `application/json` or `application/<x>+json` (HTTP.UNSUPPORTED_MEDIA_TYPE)',
  422: 'the Idempotency-Key was used with another request (IDEMPOTENCY.KEY_REUSED)',
  503: 'the event store connection was lost (STORE.UNAVAILABLE), or the read model answering is not built yet (READ_MODEL.NOT_READY); retry after `Retry-After` seconds',
};

/** The media type of every error answer (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const problemResponse = (status: ProblemStatus, description: string) =>
  ApiResponse({
    status,
    description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocument) } } },
  });

/**
 * Documents the problem answers a route can give: each status with the shared `Problem`
 * schema (`#/components/schemas/Problem`) under `application/problem+json`, and a sentence:
 * the default of {@link PROBLEM_DESCRIPTIONS}, or the route's own. A status named twice keeps
 * the last sentence. On a route method.
 *
 *     @ApiProblems(400, 401, 403, [404, 'an unknown case, or one the caller may not see (R3)'])
 */
export const ApiProblems = (...problems: ProblemSpec[]) => {
  const described = new Map<ProblemStatus, string>();
  for (const problem of problems) {
    const [status, description] = typeof problem === 'number' ? [problem, PROBLEM_DESCRIPTIONS[problem]] : problem;
    described.set(status, description);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ...[...described].map(([status, description]) => problemResponse(status, description)),
  );
};

const BODY_INVALID: ProblemSpec = [
  400,
  'an invalid body or parameter (HTTP.VALIDATION_FAILED: `errors` names the fields, unknown properties too; a NUL ' +
    'character or an unpaired surrogate in any string), malformed JSON (HTTP.MALFORMED_BODY), JSON nested too deep ' +
    '(HTTP.BODY_TOO_DEEP), a malformed Idempotency-Key (IDEMPOTENCY.MALFORMED_KEY) or If-Match (HTTP.MALFORMED_IF_MATCH)',
];

const WRITE_UNAVAILABLE: ProblemSpec = [
  503,
  'other servers kept changing it while this write was decided again and again (WRITE.CONTENTION), or the event ' +
    'store connection was lost (STORE.UNAVAILABLE); nothing is known written: retry after `Retry-After` seconds ' +
    'with the same Idempotency-Key',
];

/**
 * The problems of a write route with a JSON body under `@Write()`: 400 (body, parameters, a
 * malformed Idempotency-Key or If-Match), 401, 403, 413, 415, 422 (Idempotency-Key reused)
 * and 503 (contention, or a lost store connection); 412 too when `ifMatch` (the route
 * decides on the version If-Match names); then the route's own (404, 409, …).
 */
export const ApiWriteProblems = (options: { readonly ifMatch: boolean }, ...own: ProblemSpec[]) =>
  ApiProblems(
    BODY_INVALID,
    401,
    403,
    413,
    415,
    422,
    ...(options.ifMatch ? [412 as const] : []),
    WRITE_UNAVAILABLE,
    ...own,
  );

/**
 * The problems of a read behind the bearer token: 401, 403 and 503 (a lost store
 * connection), then the route's own (400 when it takes parameters, 404, …).
 */
export const ApiReadProblems = (...own: ProblemSpec[]) => ApiProblems(401, 403, 503, ...own);

/**
 * A route anyone may call without a token (health probes, survey links): `security: []` in
 * the document, explicitly, so that clients send no credentials and linters see it is meant.
 */
export const ApiPublicOperation = (summary: string) => ApiOperation({ summary, security: [] });
