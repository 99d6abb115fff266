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

/**
 * A body in another media type than JSON (`application/json`, or `application/<x>+json`),
 * or, on the one route that reads `multipart/form-data` (the attachment upload), than that.
 */
export class UnsupportedMediaType extends HttpEdgeError {
  readonly status = 415;
  readonly code = 'HTTP.UNSUPPORTED_MEDIA_TYPE';
  constructor(contentType: string | undefined, expected: 'json' | 'multipart' = 'json') {
    const given = contentType ? JSON.stringify(contentType) : 'a body without a Content-Type';
    super(
      expected === 'json'
        ? `This API reads JSON bodies only (Content-Type: application/json), not ${given}.`
        : `This route reads multipart/form-data bodies only (one or more "file" parts), not ${given}.`,
    );
  }
}

/** A JSON body nested deeper than any request of this API is (refused before it is parsed). */
export class BodyTooDeep extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.BODY_TOO_DEEP';
  constructor(maxDepth: number) {
    super(`The JSON body nests objects and arrays more than ${maxDepth} levels deep.`);
  }
}

/**
 * Text the store cannot keep: a NUL character (U+0000) or an unpaired UTF-16 surrogate
 * (`"\ud800"`), in a body field, a query parameter or a path parameter. A 400 naming the
 * fields, like a validation failure (`HTTP.VALIDATION_FAILED`).
 */
export class UnstorableText extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.VALIDATION_FAILED';
  constructor(readonly errors: readonly { field: string; messages: string[] }[]) {
    super(errors.map((e) => e.messages.join(', ')).join('; '));
  }
}

/** A request Node's HTTP parser refused before any route saw it (answered on the socket). */
export class MalformedRequest extends HttpEdgeError {
  constructor(
    readonly status: 400 | 408 | 431,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
