/**
 * Why the store refused a file. Each carries a stable `code` and the HTTP `status` the app's
 * one problem filter answers with (as `@app/auth`'s errors do); nothing of the file is kept.
 */
export abstract class AttachmentRefused extends Error {
  abstract readonly status: 413 | 415;
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** More bytes than ATTACHMENT_MAX_BYTES: refused as soon as the limit is passed, while streaming. */
export class AttachmentTooLarge extends AttachmentRefused {
  readonly status = 413;
  readonly code = 'ATTACHMENT.TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`An attachment may have at most ${maxBytes} bytes.`);
  }
}

/** The type detected from the bytes is not in ATTACHMENT_TYPES (the name's extension is never read). */
export class AttachmentTypeNotAllowed extends AttachmentRefused {
  readonly status = 415;
  readonly code = 'ATTACHMENT.TYPE_NOT_ALLOWED';
  constructor(
    readonly contentType: string,
    readonly allowedTypes: readonly string[],
  ) {
    super(`Attachments of type ${contentType} are not accepted; accepted types: ${allowedTypes.join(', ')}.`);
  }
}
