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
import type { SqlQueryable } from './sql-database.port';

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

export interface ReadAllOfTypesOptions {
  readonly after?: LogCheckpoint;
  /** only events of these types are returned */
  readonly types: readonly string[];
  /** the events of the log (of any type) one call looks through */
  readonly window: number;
}

export interface ReadWindowResult {
  /** the window's events of the wanted types, in log order */
  readonly events: RecordedEvent[];
  /** the window's last event (of any type): where the next call goes on; `after` for an empty window */
  readonly checkpoint: LogCheckpoint;
  /** true when the window reached the end of the log as readAll sees it */
  readonly end: boolean;
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

export interface ReadRangeOptions {
  /** exclusive */
  readonly after: LogCheckpoint;
  /** inclusive: a checkpoint the reader was already given (every event up to it is committed) */
  readonly upTo: LogCheckpoint;
  /** at most this many events; default 1000 */
  readonly limit?: number;
}

export interface ReadCategoryOptions extends ReadAllOptions {
  /** only events of these types */
  readonly types?: readonly string[];
  /**
   * Everything committed now, without readAll's never-skip rule (as {@link EventStore.head}):
   * for a one-off listing. A reader that saves its checkpoint and reads on must leave it off.
   */
  readonly committedNow?: boolean;
}

export interface ReadCategoriesAsOfOptions {
  /** stream categories, the part of the stream id before its first `-` (lower-case letters) */
  readonly categories: readonly string[];
  /** exclusive keyset cursor: the last stream and version already read; default the start */
  readonly after?: { readonly streamId: string; readonly streamVersion: number };
  /** only events recorded at or before this moment */
  readonly recordedUpTo: Date;
  /** only events of these types */
  readonly types: readonly string[];
  readonly limit: number;
}

export interface ReadWholeStreamsOptions {
  /** streams after this one (bytewise order of ids, as the primary key); default: from the first */
  readonly afterStream?: string;
  /**
   * only events up to this place of the log: a checkpoint of a never-skipping read
   * ({@link LogReader.committedHead}), so that every event up to it is committed
   */
  readonly through: LogCheckpoint;
  /** only events of these types */
  readonly types: readonly string[];
  /**
   * about this many events of the log (of any type and place) per call: the read ends at the
   * end of the stream that holds the this-many-th event after `afterStream`, so streams come whole
   */
  readonly events: number;
}

export interface WholeStreamsResult {
  /** the events, stream after stream (bytewise order of ids), each stream's in version order */
  readonly events: RecordedEvent[];
  /** the last stream the call covered (the next call's `afterStream`), or null when no stream is left */
  readonly next: string | null;
}

export interface StreamsOpenedWithOptions {
  readonly category: string;
  /** streams holding an event of this type recorded by `recordedUpTo` … */
  readonly openedBy: string;
  /** … whose `data` field, trimmed and lower-cased, equals `equals` */
  readonly field: string;
  readonly equals: string;
  /** only events recorded at or before this moment */
  readonly recordedUpTo: Date;
  /** only events of these types */
  readonly types: readonly string[];
  /**
   * only these top-level fields of each event's `data` travel (letters, digits, `_`), and no
   * metadata (`{}`); a field the event lacks comes back null. Default: all of `data` and metadata
   */
  readonly fields?: readonly string[];
}

/**
 * Reads of the log beyond the stream and the follower, for the libraries that keep their
 * own tables beside it (projections, audit, the relay, the API's listings). The same reads
 * run on the store's pool (`store.reader()`) or inside a caller's transaction
 * (`store.reader(tx)`, or `logReader(tx)`): PGlite has one connection, so a read through the
 * store's own database would wait for the transaction that needs it.
 */
export interface LogReader {
  /** {@link EventStore.readAll}, on this reader's connection */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;

  /** {@link EventStore.head}, on this reader's connection */
  head(): Promise<LogCheckpoint | undefined>;

  /**
   * readAll, but only events of some types: looks through the next `window` events of the
   * log (the commit-order index) and returns those of the types, with the window's end as
   * the checkpoint, so that a reader of rare types moves on through the log without being
   * handed the rest (a rebuild of a projection that handles few types).
   */
  readAllOfTypes(options: ReadAllOfTypesOptions): Promise<ReadWindowResult>;

  /**
   * The last event readAll would hand out now (its never-skip rule): every event up to it is
   * committed, so it ends a range that later reads may walk in any order; undefined for an
   * empty log or while the log's first transaction is in flight.
   */
  committedHead(): Promise<LogCheckpoint | undefined>;

  /**
   * The events of whole streams in stream order (the primary key's), up to a place of the
   * log: a rebuild's first pass over the log, stream after stream, for projections whose rows
   * of a stream depend on that stream alone. About `events` events of the log per call.
   */
  readWholeStreams(options: ReadWholeStreamsOptions): Promise<WholeStreamsResult>;

  /**
   * Events in (after, upTo], in log order. No never-skip rule: only for a range whose end
   * the reader was already given by a never-skipping read (everything up to it is committed).
   */
  readRange(options: ReadRangeOptions): Promise<RecordedEvent[]>;

  /**
   * How many committed events lie after a checkpoint, and when the oldest was recorded:
   * counted exactly up to 10,000 (EXACT_COUNT_LIMIT); beyond, the difference between the
   * log's last position and the checkpoint's (an estimate: commit order is not position
   * order, and a position a failed append took counts too), so a health probe on a follower
   * millions of events behind stays one index step.
   */
  countAfter(after: LogCheckpoint): Promise<{ events: number; oldest?: Date }>;

  /**
   * The place in the log of the (committed) event at a global position, or undefined.
   * Positions alone do not order the log: a checkpoint with a larger position may still
   * be before this event.
   */
  checkpointAt(globalPosition: number): Promise<LogCheckpoint | undefined>;

  /**
   * The events of one stream category (`case` for `case-…` streams) after a checkpoint, in
   * log order, with readAll's never-skip rule (unless `committedNow`).
   */
  readCategory(category: string, options?: ReadCategoryOptions): Promise<ReadAllResult>;

  /**
   * A page of the events of some categories recorded up to a moment, in stream order
   * (stream id, then version): a keyset walk of the primary key, for a replay as of a moment.
   */
  readCategoriesAsOf(options: ReadCategoriesAsOfOptions): Promise<RecordedEvent[]>;

  /**
   * The events (of `types`, recorded up to a moment) of the streams of a category opened with
   * a data field of a given value (e.g. the cases opened in one language), in stream order.
   */
  readStreamsOpenedWith(options: StreamsOpenedWithOptions): Promise<RecordedEvent[]>;

  /** the given versions of one stream, in stream order */
  readStreamVersions(streamId: string, versions: readonly number[]): Promise<RecordedEvent[]>;

  /** the stream's last event of this type, or undefined */
  lastOfType(streamId: string, type: string): Promise<RecordedEvent | undefined>;
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

  /**
   * The log's other reads ({@link LogReader}), on the store's database, or on `q` (a
   * transaction of the caller's: its reads see its own writes and do not wait for it).
   */
  reader(q?: SqlQueryable): LogReader;

  /** answers when the store is reachable and migrated */
  ping(): Promise<void>;

  close(): Promise<void>;
}
