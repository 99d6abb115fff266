import { HttpEdgeError } from '../http/http.errors';

/** The upload's body has no `file` part. */
export class NoFileUploaded extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'ATTACHMENT.NO_FILE';
  constructor() {
    super('The multipart/form-data body has no "file" part: send each file as a part named "file", with a filename.');
  }
}

/** A part other than a `file` file part: a text field, or a file under another name. */
export class UnexpectedPart extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.VALIDATION_FAILED';
  readonly errors: readonly { field: string; messages: string[] }[];
  constructor(field: string) {
    const message = `${field} is not accepted: the body holds only files, each in a part named "file"`;
    super(message);
    this.errors = [{ field, messages: [message] }];
  }
}

/** More parts than one upload may carry. */
export class TooManyParts extends HttpEdgeError {
  readonly status = 413;
  readonly code = 'ATTACHMENT.TOO_MANY_FILES';
  constructor(maxFiles: number) {
    super(`One upload carries at most ${maxFiles} files; send the others in another.`);
  }
}

/** A body that says multipart/form-data and is not (no boundary, a malformed part, cut short). */
export class MalformedMultipart extends HttpEdgeError {
  readonly status = 400;
  readonly code = 'HTTP.MALFORMED_BODY';
  constructor(reason: string) {
    super(`The multipart/form-data body cannot be read: ${reason}.`);
  }
}

/**
 * A file the case does not hold: no event of the case (as the caller may see it) names this
 * SHA-256, or its bytes are not stored. The same answer for both, and for a malformed hash.
 */
export class AttachmentNotFound extends HttpEdgeError {
  readonly status = 404;
  readonly code = 'ATTACHMENT.NOT_FOUND';
  constructor() {
    super('This case holds no attachment with that SHA-256.');
  }
}

/** A reference (in /info or /replies) to bytes that were never uploaded. */
export class AttachmentNotStored extends HttpEdgeError {
  readonly status = 409;
  readonly code = 'ATTACHMENT.NOT_STORED';
  constructor(sha256: string) {
    super(
      `No file with SHA-256 ${sha256} is stored: upload it first (POST /v1/cases/{id}/attachments) and name it as the upload answered.`,
    );
  }
}

/** A reference whose size or content type is not the stored file's. */
export class AttachmentMismatch extends HttpEdgeError {
  readonly status = 409;
  readonly code = 'ATTACHMENT.MISMATCH';
  constructor(
    sha256: string,
    given: { size: number; contentType: string },
    stored: { size: number; contentType: string },
  ) {
    super(
      `The file with SHA-256 ${sha256} is stored as ${stored.size} bytes of ${stored.contentType}, ` +
        `not ${given.size} bytes of ${given.contentType}: name it as the upload answered.`,
    );
  }
}
