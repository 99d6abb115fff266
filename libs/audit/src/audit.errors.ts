/**
 * Errors of the audit library. Each has a stable `code`, says whether a retry can help, and
 * carries the HTTP `status` the API's problem-details filter answers with (as @app/auth's
 * errors do): these are all about the request, never about the store's state.
 */
export abstract class AuditError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly retriable: boolean = false;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A queue id that is not `<language>-<priority>`, such as `fr-P2`. */
export class InvalidQueueId extends AuditError {
  readonly code = 'AUDIT.INVALID_QUEUE_ID';
  readonly status = 400;

  constructor(readonly queueId: string) {
    super(`Queue ids are <language>-<priority>, such as fr-P2 or pt-br-P1, not ${JSON.stringify(queueId)}.`);
  }
}

/** A moment that is not an ISO 8601 instant with a time zone. */
export class InvalidInstant extends AuditError {
  readonly code = 'AUDIT.INVALID_INSTANT';
  readonly status = 400;

  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(
      `${field} must be an ISO 8601 instant with a time zone, such as 2026-03-02T09:30:00Z or ` +
        `2026-03-02T10:30:00+01:00, not ${JSON.stringify(value)}.`,
    );
  }
}

/** `after` names a global position that holds no event, so the page it starts cannot be placed. */
export class UnknownLogPosition extends AuditError {
  readonly code = 'AUDIT.UNKNOWN_POSITION';
  readonly status = 400;

  constructor(readonly position: number) {
    super(
      `No event is stored at global position ${position}; pass the position of the last event of the previous ` +
        'page (its "next"), or 0 to start from the beginning.',
    );
  }
}

/** The case did not exist at that moment (or never did). */
export class CaseNotFoundAsOf extends AuditError {
  readonly code = 'AUDIT.CASE_NOT_FOUND';
  readonly status = 404;

  constructor(
    readonly caseId: string,
    readonly asOf: Date,
  ) {
    super(`Case ${caseId} did not exist at ${asOf.toISOString()}.`);
  }
}
