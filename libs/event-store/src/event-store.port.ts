/**
 * The event store port: append-only streams plus one global log.
 *
 * Stream versions count events from 1: a stream holding N events is at version N, and a
 * stream that does not exist is at version 0 (so an expected version of `0` means the same
 * as `'no-stream'`).
 *
 * The global log is ordered by commit, not by insertion: a reader's place in it is a
 * {@link LogCheckpoint} (writing transaction id, global position), because positions are
 * taken when a transaction inserts and transactions commit out of order (libs/event-store/README.md,
 * "The global log, and what xid8 costs").
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

/** Who did it, for whom, and why: recorded with every event. */
export interface EventMetadata {
  /** the person or system that caused the event */
  readonly actor?: {
    readonly id: string;
    readonly role: string;
    readonly org?: string;
    readonly vendor?: string;
    /** the display name the token carried (`name` claim), if any */
    readonly name?: string;
  };
  /** the customer organisation the stream belongs to */
  readonly tenant?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  /**
   * W3C trace context (`00-<trace id>-<span id>-<flags>`) of the command's `append` span,
   * when the writing process traced (docs/tracing.md); absent otherwise. Hashed like the rest.
   */
  readonly traceparent?: string;
  readonly [key: string]: unknown;
}

/** An event to append. `eventId` defaults to a new UUID; give one to make a retry safe. */
export interface NewEvent<T extends string = string, D = unknown> {
  readonly eventId?: string;
  readonly type: T;
  /** defaults to 1; a changed shape gets a new schema version and an upcaster, never a new type name */
  readonly schemaVersion?: number;
  readonly data: D;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent<T extends string = string, D = unknown> {
  readonly eventId: string;
  readonly type: T;
  readonly schemaVersion: number;
  readonly data: D;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  /** 1 for the first event of a stream */
  readonly streamVersion: number;
  /** unique, increasing in insertion order (not commit order) */
  readonly globalPosition: number;
  /** the writing transaction (xid8, as a decimal string); with globalPosition, the commit-order key */
  readonly transactionId: string;
  readonly recordedAt: Date;
}

/** A reader's place in the global log: the last event it has seen. */
export interface LogCheckpoint {
  readonly transactionId: string;
  readonly globalPosition: number;
}

/** Before the first event. */
export const LOG_START: LogCheckpoint = Object.freeze({ transactionId: '0', globalPosition: 0 });

export interface AppendResult {
  readonly streamId: string;
  /** the stream's version after the append: pass it as the next expected version */
  readonly nextExpectedVersion: number;
  /** global positions of the appended events, in order */
  readonly globalPositions: readonly number[];
  /** the place of the last appended event in the global log */
  readonly checkpoint: LogCheckpoint;
  /** true when every event id was already stored (a retry): nothing was written */
  readonly duplicate: boolean;
}

export interface ReadStreamOptions {
  /** first version to return (inclusive); default 1 */
  readonly fromVersion?: number;
  /** last version to return (inclusive) */
  readonly toVersion?: number;
  /** only events recorded at or before this moment */
  readonly asOf?: Date;
}

export interface ReadStreamResult<T extends string = string, D = unknown> {
  readonly events: RecordedEvent<T, D>[];
  /** the stream's current version (0 when it does not exist), whatever the read options */
  readonly currentVersion: number;
}

export interface ReadAllOptions {
  readonly after?: LogCheckpoint;
  /** at most this many events; default 1000 */
  readonly limit?: number;
}

export interface ReadAllResult {
  readonly events: RecordedEvent[];
  /** the last event's checkpoint, or `after` when there was none */
  readonly checkpoint: LogCheckpoint;
}

export interface FollowOptions extends ReadAllOptions {
  /** stops the iteration (the iterator then returns) */
  readonly signal?: AbortSignal;
  /**
   * After a batch smaller than `limit`, wait this long before reading again (as Kafka's
   * `linger.ms`): under a steady stream of appends a follower then gets one batch per
   * `lingerMs` instead of one per notification, so a projection pays its per-batch cost (a
   * transaction, its lock, lease and checkpoint) a few times a second rather than a hundred.
   * It delays what the follower sees by at most this much. Default 0.
   */
  readonly lingerMs?: number;
}

export interface EventStore {
  /**
   * Appends events to a stream if its version is `expected`.
   * Atomic: all events or none. Throws {@link ExpectedVersionConflict} when the stream moved,
   * {@link InvalidAppend} for bad input (nothing written). When every event id is already
   * stored in this stream, nothing is written and the original result comes back
   * (`duplicate: true`): retries are safe.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;

  readStream<T extends string = string, D = unknown>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<T, D>>;

  /** the stream's current version, 0 when it does not exist */
  streamVersion(streamId: string): Promise<number>;

  /**
   * Events after a checkpoint, in commit order. Never returns an event while an older
   * transaction that may still write is in flight, so a reader that moves its checkpoint
   * to the last event it got never skips one.
   */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;

  /**
   * The checkpoint of the last event committed now, in log order, or undefined for an empty
   * log. Deliberately without `readAll`'s rule: a reader that must have seen everything
   * committed before some moment reads until its checkpoint reaches this head (which it does
   * once the older transactions in flight have ended).
   */
  head(): Promise<LogCheckpoint | undefined>;

  /** Catches up from `after`, then yields new batches as they commit, until `signal` aborts. */
  follow(options?: FollowOptions): AsyncIterable<ReadAllResult>;

  /** answers when the store is reachable and migrated */
  ping(): Promise<void>;

  close(): Promise<void>;
}
