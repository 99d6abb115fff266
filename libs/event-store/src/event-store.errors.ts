import type { ExpectedVersion } from './event-store.port';

/**
 * Errors of the event store. Each has a stable `code` and says whether a retry can help
 * (`retriable`), as kafkajs errors do; the HTTP edge maps codes to statuses.
 */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The append was refused before anything was written: the input itself is wrong. */
export class InvalidAppend extends EventStoreError {
  readonly code = 'EVENT_STORE.INVALID_APPEND';
  readonly retriable = false;

  constructor(
    readonly streamId: unknown,
    readonly reason: string,
  ) {
    super(`Invalid append to stream ${JSON.stringify(String(streamId))}: ${reason}`);
  }
}

/**
 * The stream is not at the expected version (another writer got there first).
 * Retrying the same append fails again; re-reading the stream and deciding again may
 * succeed, hence `retriable`.
 */
export class ExpectedVersionConflict extends EventStoreError {
  readonly code = 'EVENT_STORE.VERSION_CONFLICT';
  readonly retriable = true;

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, not at the expected ${expected}`);
  }
}

/**
 * Some event ids of the batch are already stored, but not as this batch in this stream
 * (another stream holds them, or only part of the batch was stored): not a retry.
 */
export class EventIdConflict extends EventStoreError {
  readonly code = 'EVENT_STORE.EVENT_ID_CONFLICT';
  readonly retriable = false;

  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
    detail: string,
  ) {
    super(`Event ids already stored, so this append to ${streamId} is not a retry: ${detail}`);
  }
}

/**
 * An append inside a caller's transaction was refused because that transaction is older
 * than the one that wrote the event before it in the stream. The global log is ordered by
 * transaction id (libs/event-store/README.md, "The global log"), so the new event would be
 * read before its predecessor. Nothing was written (the append rolled back to its
 * savepoint); running the whole transaction again (with a new, younger transaction id)
 * succeeds.
 */
export class StaleTransaction extends EventStoreError {
  readonly code = 'EVENT_STORE.STALE_TRANSACTION';
  readonly retriable = true;

  constructor(
    readonly streamId: string,
    readonly version: number,
  ) {
    super(
      `Stream ${streamId}: version ${version} was written by a younger transaction than this one, so an event ` +
        'appended here would precede it in the global log; retry the transaction',
    );
  }
}

/** The database answers but its event-store migrations have not (all) run. */
export class StoreNotMigrated extends EventStoreError {
  readonly code = 'EVENT_STORE.NOT_MIGRATED';
  readonly retriable = true;

  constructor(
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`The event store schema is at migration ${actualVersion}, this code needs ${expectedVersion}`);
  }
}
