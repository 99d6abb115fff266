import { createHash } from 'node:crypto';

/** Errors that only exist at the HTTP edge; each carries its status for the problem filter. */
export abstract class HttpEdgeError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** If-Match named a version the case is no longer (or never was) at: 412. */
export class StaleVersion extends HttpEdgeError {
  readonly status = 412;
  readonly code = 'CASE.STALE_VERSION';
  constructor(
    readonly caseId: string,
    readonly expected: number | undefined,
    readonly actual: number,
  ) {
    super(
      expected === undefined
        ? `Case ${caseId} changed while this request was handled (now at version ${actual}); read it again and retry.`
        : `Case ${caseId} is at version ${actual}, not ${expected} as If-Match says; read it again and decide on the current version.`,
    );
  }
}

export class MalformedIfMatch extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.MALFORMED_IF_MATCH';
  constructor(value: string) {
    super(`If-Match must be an ETag such as W/"3" (the case version), not ${JSON.stringify(value)}.`);
  }
}

export class IdempotencyKeyReused extends HttpEdgeError {
  readonly status = 422;
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor(key: string) {
    super(`Idempotency-Key ${JSON.stringify(key)} was already used with another request body or route; use a new key.`);
  }
}

export class IdempotencyKeyInProgress extends HttpEdgeError {
  readonly status = 409;
  readonly code = 'IDEMPOTENCY.IN_PROGRESS';
  constructor(key: string) {
    super(`A request with Idempotency-Key ${JSON.stringify(key)} is still being handled; retry in a moment.`);
  }
}

export class MalformedIdempotencyKey extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'IDEMPOTENCY.MALFORMED_KEY';
  constructor() {
    super('Idempotency-Key must be 1 to 255 visible ASCII characters.');
  }
}

/** W/"7" or "7" → 7; absent → undefined. */
export const parseIfMatch = (header: string | string[] | undefined): number | undefined => {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(value);
  if (!match) throw new MalformedIfMatch(value);
  return Number(match[1]);
};

export const toETag = (version: number) => `W/"${version}"`;

/**
 * A stable event id for the i-th event written under an idempotency key, so that even a
 * retry that slips past the idempotency table is deduplicated by the store's unique ids.
 */
export const eventIdFor = (scope: string, key: string, index: number): string => {
  const hex = createHash('sha256').update(`${scope}\u0000${key}\u0000${index}`).digest('hex');
  // RFC 9562 layout, version 8 (custom), variant 10
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
