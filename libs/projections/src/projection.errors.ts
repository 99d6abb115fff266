import type { RecordedEvent } from '@app/event-store';

/**
 * Errors of the projections library. Each has a stable `code` and says whether a retry
 * can help (`retriable`), as kafkajs errors and the event store's do.
 */
export abstract class ProjectionError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A projection's `apply` threw for one event; `cause` says why, and whether a retry helps. */
export class ApplyFailed extends ProjectionError {
  readonly code = 'PROJECTIONS.APPLY_FAILED';
  readonly retriable: boolean;

  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    cause: unknown,
  ) {
    super(
      `Projection ${projection} could not apply ${event.type} #${event.streamVersion} of ${event.streamId}` +
        ` (position ${event.globalPosition}): ${messageOf(cause)}`,
      { cause },
    );
    this.retriable = isRetriable(cause);
  }
}

/** The database holds a newer generation than this code knows: an older release is running. */
export class ProjectionVersionAhead extends ProjectionError {
  readonly code = 'PROJECTIONS.VERSION_AHEAD';
  readonly retriable = false;

  constructor(
    readonly projection: string,
    readonly codeVersion: number,
    readonly activeVersion: number,
  ) {
    super(`Projection ${projection} is at version ${activeVersion} in the database, this code has ${codeVersion}`);
  }
}

/** The active generation was built by another version of the code: it must be rebuilt first. */
export class ProjectionNeedsRebuild extends ProjectionError {
  readonly code = 'PROJECTIONS.NEEDS_REBUILD';
  readonly retriable = true;

  constructor(
    readonly projection: string,
    readonly codeVersion: number,
    readonly activeVersion: number | undefined,
  ) {
    super(
      `Projection ${projection} v${codeVersion} has no active generation of its version (active: v${activeVersion})`,
    );
  }
}

export class UnknownProjection extends ProjectionError {
  readonly code = 'PROJECTIONS.UNKNOWN';
  readonly retriable = false;

  constructor(readonly projection: string) {
    super(`No projection named ${JSON.stringify(projection)} is registered`);
  }
}

/** `catchUp` did not reach the end of the log in time. */
export class CatchUpTimeout extends ProjectionError {
  readonly code = 'PROJECTIONS.CATCH_UP_TIMEOUT';
  readonly retriable = true;

  constructor(
    readonly projection: string,
    readonly timeoutMs: number,
  ) {
    super(`Projection ${projection} did not catch up within ${timeoutMs} ms`);
  }
}

/** A pagination cursor that this code did not make (or that was altered). */
export class InvalidCursor extends ProjectionError {
  readonly code = 'PROJECTIONS.INVALID_CURSOR';
  readonly retriable = false;

  constructor(readonly cursor: string) {
    super('The cursor is not one that a previous page returned');
  }
}

/**
 * SQLSTATE classes and codes after which the same work may succeed: connection exceptions
 * (08), transaction rollbacks from serialisation failures and deadlocks (40001, 40P01),
 * insufficient resources (53), operator intervention (57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 cannot connect now), lock not available (55P03).
 */
const RETRIABLE_SQLSTATE_CLASSES = ['08', '53'];
const RETRIABLE_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '55P03']);
/** Node socket errors: the server went away or could not be reached */
const RETRIABLE_ERRNO = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** what `pg` throws without a code when a connection ends under it */
const RETRIABLE_MESSAGE =
  /connection terminated|connection lost|connection error|timeout exceeded when trying to connect/i;

/**
 * Whether retrying the same work may succeed (kafkajs-style sorting, docs/conventions.md).
 * An error that says so itself (`retriable: boolean`) is believed; then SQLSTATE codes,
 * socket errors and `pg`'s connection messages. Anything else is not retriable: an event
 * that fails that way is parked rather than retried forever.
 */
export const isRetriable = (error: unknown): boolean => {
  if (error === null || typeof error !== 'object') return false;
  const { retriable, code, message } = error as { retriable?: unknown; code?: unknown; message?: unknown };
  if (typeof retriable === 'boolean') return retriable;
  if (typeof code === 'string') {
    if (RETRIABLE_SQLSTATES.has(code) || RETRIABLE_ERRNO.has(code)) return true;
    if (code.length === 5 && RETRIABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  return typeof message === 'string' && RETRIABLE_MESSAGE.test(message);
};

/** A short, storable account of an error (parked rows keep it). */
export const messageOf = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // PostgreSQL text cannot hold NUL; keep the row small
  return text.replaceAll('\u0000', '').slice(0, 2000);
};
