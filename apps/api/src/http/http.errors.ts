/** Errors that only exist at the HTTP edge; each carries its status for the problem filter. */
export abstract class HttpEdgeError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class MalformedIfMatch extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.MALFORMED_IF_MATCH';
  constructor(value: string) {
    super(`If-Match must be an ETag such as W/"3" (the case version), not ${JSON.stringify(value)}.`);
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
