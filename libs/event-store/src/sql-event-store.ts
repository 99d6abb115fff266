import { setTimeout as delay } from 'node:timers/promises';
import { toAppendRequest } from './append-request';
import { StaleTransaction, StoreNotMigrated } from './event-store.errors';
import {
  LOG_START,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type FollowOptions,
  type LogCheckpoint,
  type LogReader,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
} from './event-store.port';
import { READ_STREAM, WRITTEN_BY_YOUNGER } from './event-store.sql';
import { toRecordedEvent, type EventRow } from './event-rows';
import { logReader } from './log-reads';
import { LogSignal } from './log-signal';
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS } from './migrations/event-store.migrations';
import { appliedMigrationVersion } from './migrations/migrate';
import { appendEvents, streamVersion } from './sql-append';
import { StreamHeads } from './stream-heads';
import type { SqlDatabase, SqlQueryable } from './sql-database.port';

export interface FollowPolling {
  /** wait after the first empty read when no notification comes */
  readonly minMs: number;
  /** the longest wait: the delay before a follower sees events whose NOTIFY was lost */
  readonly maxMs: number;
}

export interface SqlEventStoreOptions {
  /** LISTEN/NOTIFY channel that announces appends; default `event_store_appended` */
  readonly channel?: string;
  /** default: 25 ms doubling to 1 s; 5 ms to 50 ms under NODE_ENV=test */
  readonly polling?: FollowPolling;
  /**
   * under load, at most one NOTIFY per this many milliseconds (default 25); local followers
   * wake at once. Each NOTIFY is a statement of its own for the appender and a wake-up for
   * every follower in other processes; the projections there linger 100 ms after one anyway
   */
  readonly notifyIntervalMs?: number;
  /** close the database when the store closes */
  readonly ownsDatabase?: boolean;
  /** errors after an append committed (its NOTIFY failed): reported, not thrown; default: a process warning */
  readonly onError?: (error: Error) => void;
  /**
   * Where `recorded_at` comes from (the app's clock); default the system clock. The time is
   * part of the hashed content, so the adapter sets it rather than a column default it
   * could not hash beforehand. Milliseconds, as a Date holds them.
   */
  readonly clock?: { now(): Date };
  /**
   * How many streams' heads (last version and hash) to remember, so that appends to them
   * hash here and skip the guarded read of the previous hash (stream-heads.ts); default
   * 10,000 (about 1.5 MB); 0 turns it off.
   */
  readonly streamHeadCacheSize?: number;
}

/** Short waits in tests, as kafkajs does: followers there should react within milliseconds. */
export const defaultPolling = (): FollowPolling =>
  process.env.NODE_ENV === 'test' ? { minMs: 5, maxMs: 50 } : { minMs: 25, maxMs: 1_000 };

const DEFAULT_READ_LIMIT = 1000;
const SAVEPOINT = 'event_store_append';
const LATEST_MIGRATION = Math.max(...EVENT_STORE_MIGRATIONS.map((m) => m.version));

/** {@link EventStore} over a {@link SqlDatabase}: the same code for PostgreSQL and PGlite. */
export class SqlEventStore implements EventStore {
  private readonly channel: string;
  private readonly polling: FollowPolling;
  private readonly onError: (error: Error) => void;
  private readonly appendedSignal = new LogSignal();
  private readonly closed = new AbortController();
  private listening?: Promise<() => Promise<void>>;
  private readonly notifyIntervalMs: number;
  private notifying?: Promise<void>;
  private notifyPending = false;
  private lastNotifyAt = 0;
  private readonly heads: StreamHeads;

  constructor(
    readonly db: SqlDatabase,
    private readonly options: SqlEventStoreOptions = {},
  ) {
    this.channel = options.channel ?? 'event_store_appended';
    this.polling = options.polling ?? defaultPolling();
    this.notifyIntervalMs = options.notifyIntervalMs ?? 25;
    this.heads = new StreamHeads(options.streamHeadCacheSize ?? 10_000);
    this.onError =
      options.onError ??
      ((error) => process.emitWarning(`event store: ${error.message}`, { code: 'EVENT_STORE', detail: error.stack }));
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const request = toAppendRequest(streamId, events, expected);
    const result = await appendEvents(this.db, request, this.recordedAt(), { heads: this.heads, commits: true });
    if (!result.duplicate) this.announce();
    return result;
  }

  /**
   * Appends inside the caller's transaction (with other writes that must commit with the
   * events, or none). Same checks and results as {@link appendToStream}; a failed insert
   * rolls back only to a savepoint, so the transaction stays usable. Followers hear of it
   * by a NOTIFY that PostgreSQL delivers when (and only if) the transaction commits.
   * Refused with {@link StaleTransaction} (retriable: run the transaction again) when the
   * stream's previous event was written by a younger transaction than this one.
   */
  async appendInTransaction(
    tx: SqlQueryable,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const request = toAppendRequest(streamId, events, expected);
    await tx.query(`SAVEPOINT ${SAVEPOINT}`);
    // heads known to this store are committed, so they may be used here; what this
    // transaction appends is not remembered, as it may yet roll back
    const result = await appendEvents(tx, request, this.recordedAt(), {
      recover: () => tx.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`),
      heads: this.heads,
      commits: false,
    });
    // The transaction's id was taken at its first write, maybe before the previous event of
    // this stream was written by another: then this event would sort before it in the log.
    const previous = result.nextExpectedVersion - request.eventIds.length;
    if (!result.duplicate && previous > 0) {
      const { rows } = await tx.query(WRITTEN_BY_YOUNGER.text, [streamId, previous], WRITTEN_BY_YOUNGER);
      if (rows.length > 0) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        throw new StaleTransaction(streamId, previous);
      }
    }
    await tx.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    if (!result.duplicate) await tx.query('SELECT pg_notify($1, $2)', [this.channel, '']);
    return result;
  }

  async readStream<T extends string = string, D = unknown>(
    streamId: string,
    { fromVersion = 1, toVersion, asOf }: ReadStreamOptions = {},
  ): Promise<ReadStreamResult<T, D>> {
    const { rows } = await this.db.query<EventRow & { current_version: number | string; head_hash: Uint8Array | null }>(
      READ_STREAM.text,
      [streamId, fromVersion, toVersion ?? null, asOf ? asOf.toISOString() : null],
      READ_STREAM,
    );
    // read to its end (committed: outside any transaction): the stream's head, for the next append
    const last = rows[rows.length - 1];
    if (last?.head_hash)
      this.heads.remember(streamId, { version: Number(last.stream_version), hash: Buffer.from(last.head_hash) });
    return {
      events: rows.filter((row) => row.event_id !== null).map(toRecordedEvent) as ReadStreamResult<T, D>['events'],
      currentVersion: Number(rows[0]?.current_version ?? 0),
    };
  }

  streamVersion(streamId: string): Promise<number> {
    return streamVersion(this.db, streamId);
  }

  readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    return this.reader().readAll(options);
  }

  head(): Promise<LogCheckpoint | undefined> {
    return this.reader().head();
  }

  reader(q: SqlQueryable = this.db): LogReader {
    return logReader(q);
  }

  async *follow({
    after = LOG_START,
    limit = DEFAULT_READ_LIMIT,
    signal,
    lingerMs = 0,
  }: FollowOptions = {}): AsyncGenerator<ReadAllResult> {
    const stop = signal ? AbortSignal.any([signal, this.closed.signal]) : this.closed.signal;
    await this.listenForAppends();
    let checkpoint = after;
    let idleMs = this.polling.minMs;
    while (!stop.aborted) {
      const seen = this.appendedSignal.current;
      const batch = await this.readAll({ after: checkpoint, limit });
      if (stop.aborted) return;
      if (batch.events.length > 0) {
        checkpoint = batch.checkpoint;
        idleMs = this.polling.minMs;
        yield batch;
        if (batch.events.length === limit) continue; // still catching up
        // let the next appends gather into one batch (see FollowOptions.lingerMs)
        if (lingerMs > 0) {
          await delay(lingerMs, undefined, { signal: stop }).catch(() => undefined);
          continue;
        }
      }
      // Wait for a NOTIFY (or a local append). Polling is the fallback for what a notify
      // cannot tell: an unrelated long transaction ending, or a notification lost while
      // the listening connection was down.
      await this.appendedSignal.wait(seen, idleMs, stop);
      idleMs = Math.min(idleMs * 2, this.polling.maxMs);
    }
  }

  async ping(): Promise<void> {
    const version = await appliedMigrationVersion(this.db, EVENT_STORE_COMPONENT);
    if (version < LATEST_MIGRATION) throw new StoreNotMigrated(LATEST_MIGRATION, version);
  }

  async close(): Promise<void> {
    if (this.closed.signal.aborted) return;
    this.closed.abort();
    const unlisten = await this.listening?.catch(() => undefined);
    await unlisten?.().catch((error: Error) => this.onError(error));
    await this.notifying;
    if (this.options.ownsDatabase) await this.db.close();
  }

  /** a copy of now: a Date holds whole milliseconds, which timestamptz stores exactly */
  private recordedAt(): Date {
    return new Date((this.options.clock?.now() ?? new Date()).getTime());
  }

  private listenForAppends(): Promise<unknown> {
    this.listening ??= this.db.listen(this.channel, () => this.appendedSignal.fire());
    // a failed LISTEN is retried by the next follower rather than remembered
    this.listening.catch(() => (this.listening = undefined));
    return this.listening;
  }

  /**
   * Wakes local followers at once, and other processes' by NOTIFY. The NOTIFY is sent after
   * the commit, not inside the append's transaction: PostgreSQL serialises the commits of
   * notifying transactions on one lock, which would cap append throughput. And it is
   * throttled: the first append after a quiet spell notifies at once; under load, one
   * NOTIFY per `notifyIntervalMs` announces every append before it (a woken follower reads
   * everything committed), so writers do not pay a NOTIFY each.
   */
  private announce(): void {
    this.appendedSignal.fire();
    this.notifyPending = true;
    this.notifying ??= this.sendNotifications();
  }

  private async sendNotifications(): Promise<void> {
    try {
      while (this.notifyPending) {
        const wait = this.lastNotifyAt + this.notifyIntervalMs - Date.now();
        // on close, skip the wait: the last appends are announced before the database closes
        if (wait > 0) await delay(wait, undefined, { signal: this.closed.signal }).catch(() => undefined);
        this.notifyPending = false;
        this.lastNotifyAt = Date.now();
        await this.db.notify(this.channel, '').catch((error: Error) => this.onError(error));
      }
    } finally {
      // no await between the loop's last check and this: an append cannot slip in between
      this.notifying = undefined;
    }
  }
}
