import { setTimeout as delay } from 'node:timers/promises';
import {
  EventIdConflict,
  ExpectedVersionConflict,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@app/event-store';
import { activeTraceparent, inSpan, inSpanSync } from '@app/observability';
import { idempotentEventId, IdempotencyKeyReused, WriteContention, type IdempotencyClaim } from './idempotency';
import { StaleVersion } from './stale-version';
import { StateCache, type CachedStream } from './state-cache';

/** What a stream's state is made of: the fold half of a decider. */
export interface StreamModel<S, E> {
  evolve(state: S, event: E): S;
  readonly initialState: S;
}

/** One write to one stream, as a command handler describes it. */
export interface StreamWrite<S, E extends NewEvent> {
  readonly streamId: string;
  /**
   * The events to append, decided on the stream's current state (pure: no I/O). Throw to
   * refuse; return none when the command changes nothing.
   */
  decide(state: S, version: number, now: Date): readonly E[];
  /** merged under each event's own metadata (actor, tenant, correlation id…) */
  readonly metadata: EventMetadata;
  /** the version the caller decided on (If-Match); absent: decide on the current state */
  readonly expectedVersion?: number;
  /** how to refuse a stale `expectedVersion`; default {@link StaleVersion} naming the stream */
  stale?(expected: number, actual: number): Error;
  /** the caller's Idempotency-Key: stable event ids, and the committed write's answer on a retry */
  readonly idempotency?: IdempotencyClaim;
  /**
   * The stream is almost surely new (a case opened under a fresh id): decide on the initial
   * state without reading it. Checked all the same: the append expects no stream, and a
   * refusal is confirmed on a read, as for a remembered state.
   */
  readonly expectNew?: boolean;
  /**
   * The command's name in its trace span (`command <name>`), asked once the write is done (a
   * plan names its command when it decides); default: the stream's category (`case`, `incident`…).
   */
  commandName?(): string;
}

export interface StreamWriteResult<S, E> {
  /** the stream's state after the write (or, for a replay, right after the original write) */
  readonly state: S;
  /** the stream's version that `state` is at */
  readonly version: number;
  /** the events appended by this call (none for a no-op or a replay) */
  readonly events: readonly E[];
  /** global position of the last event of the write, for read-your-writes */
  readonly position?: number;
  /** true when the idempotency key's write had committed before: this is its answer, nothing was written */
  readonly replayed: boolean;
}

export interface StreamWriterOptions {
  readonly now: () => Date;
  /** streams whose state is kept between writes (least recently used go first); 0 turns it off */
  readonly cacheSize?: number;
  /** attempts when other processes keep moving the stream (each one an append that lost a race) */
  readonly maxAttempts?: number;
}

/** Keys remembered per stream for replays; older ones are answered from the idempotency table. */
const KEYS_PER_STREAM = 256;

const scopedKey = (claim: IdempotencyClaim) => `${claim.scope}\u0000${claim.key}`;

/**
 * The one write path of the application: load the stream's state (from a bounded cache of
 * recent states, or one read), decide, append at the version the state is at, remember the
 * new state. Every command handler runs its writes through a StreamWriter.
 *
 * Concurrency, and why there is one retry policy, here:
 * - In this process, writes to one stream run one after another (a queue per stream), so
 *   they never conflict with each other and each decides on the state the previous left.
 * - Another process may still move the stream: the append's expected version then fails
 *   (the store's `(stream, version)` key), and the write reads the stream and decides again,
 *   a bounded number of times with jittered backoff, then answers {@link WriteContention}
 *   (retriable). With `expectedVersion` (If-Match) the fresh state no longer matches and the
 *   caller's `stale` refusal is thrown instead.
 * - A cached state may be stale the same way. An append guards it, but a refusal or a
 *   no-op decided on it would not be: those are decided again on a fresh read before they
 *   are answered.
 *
 * Idempotency: under a key, the events' ids derive from (scope, key, index) and their
 * metadata carries the key and the request's fingerprint. A retry of a write that
 * committed, whatever happened to its answer (a lost connection, a crash, a dropped
 * response), finds the key in the stream and answers with the state right after that
 * write, its version and position: the log is the record of what was answered. Two copies
 * racing in two processes append the same ids; the store keeps one, and the other finds it.
 */
export class StreamWriter<S, E extends NewEvent> {
  private readonly cache: StateCache<S>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly maxAttempts: number;

  constructor(
    private readonly store: EventStore,
    private readonly model: StreamModel<S, E>,
    private readonly options: StreamWriterOptions,
  ) {
    this.cache = new StateCache(options.cacheSize ?? 10_000);
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  /**
   * Runs the write after those of this process already queued on the same stream, in a span
   * `command <name>` (docs/tracing.md) whose children are each attempt's `decide` and `append`.
   */
  write(w: StreamWrite<S, E>): Promise<StreamWriteResult<S, E>> {
    return inSpan(
      `command ${w.streamId.split('-', 1)[0]}`,
      { attributes: { 'stream.id': w.streamId } },
      async (span) => {
        try {
          const result = await this.queued(w);
          if (span.isRecording())
            span.setAttributes({
              'stream.version': result.version,
              'command.events': result.events.length,
              'command.replayed': result.replayed,
              ...(result.position !== undefined ? { 'log.position': result.position } : {}),
            });
          return result;
        } finally {
          if (w.commandName && span.isRecording()) span.updateName(`command ${w.commandName()}`);
        }
      },
    );
  }

  private queued(w: StreamWrite<S, E>): Promise<StreamWriteResult<S, E>> {
    const previous = this.queues.get(w.streamId);
    const run = (previous ?? Promise.resolve()).then(
      () => this.attempt(w),
      () => this.attempt(w),
    );
    this.queues.set(w.streamId, run);
    const forget = () => {
      if (this.queues.get(w.streamId) === run) this.queues.delete(w.streamId);
    };
    run.then(forget, forget);
    return run;
  }

  /**
   * The stream's current state, read from the store, with every idempotency key written to
   * it (the cache keeps the newest {@link KEYS_PER_STREAM}: an older key is found by a read).
   */
  async load(streamId: string): Promise<CachedStream<S>> {
    const { events, currentVersion } = await this.store.readStream(streamId);
    let state = this.model.initialState;
    const keys = new Map<string, { version: number; position: number; fingerprint?: string }>();
    for (const event of events) {
      // the stored events of this stream are E's; RecordedEvent only adds fields
      state = this.model.evolve(state, event as unknown as E);
      const key = keyOf(event);
      if (key) {
        keys.delete(key.scoped);
        keys.set(key.scoped, {
          version: event.streamVersion,
          position: event.globalPosition,
          fingerprint: key.fingerprint,
        });
      }
    }
    const loaded: CachedStream<S> = { state, version: currentVersion, keys };
    this.remember(streamId, loaded);
    return loaded;
  }

  /** Drops what is remembered of a stream (after a failure whose outcome is unknown). */
  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  private async attempt(w: StreamWrite<S, E>): Promise<StreamWriteResult<S, E>> {
    let fresh = false;
    /** this key's event ids were found in another stream: the key was used for another request */
    let keyUsedElsewhere = false;
    for (let attempt = 1; ; attempt++) {
      const cached = fresh ? undefined : (this.cache.get(w.streamId) ?? (w.expectNew ? this.newStream() : undefined));
      const current = cached ?? (await this.load(w.streamId));
      fresh = true; // from now on, every attempt reads the stream
      const claim = w.idempotency;
      if (claim) {
        const done = current.keys.get(scopedKey(claim));
        if (done) return this.replay(w, current, done);
        // read afresh, the key is not in this stream: its ids belong to a write elsewhere
        if (keyUsedElsewhere && !cached) throw new IdempotencyKeyReused(claim.key);
      }
      let events: readonly E[];
      try {
        if (w.expectedVersion !== undefined && w.expectedVersion !== current.version)
          throw (
            w.stale?.(w.expectedVersion, current.version) ??
            new StaleVersion(`Stream ${w.streamId}`, w.expectedVersion, current.version)
          );
        events = inSpanSync(
          'decide',
          { attributes: { attempt, 'stream.version': current.version, 'state.remembered': cached !== undefined } },
          (span) => {
            const decided = w.decide(current.state, current.version, this.options.now());
            span.setAttribute('decide.events', decided.length);
            return decided;
          },
        );
      } catch (refusal) {
        if (cached) continue; // decided on a remembered state: confirm on the stream itself
        throw refusal;
      }
      if (events.length === 0) {
        if (cached) continue; // a no-op on a remembered state: confirm it too
        return { state: current.state, version: current.version, events, replayed: false };
      }
      if (attempt > this.maxAttempts) throw new WriteContention(w.streamId, attempt - 1);
      try {
        const appended = await inSpan(
          'append',
          { attributes: { attempt, 'stream.expected_version': current.version, 'append.events': events.length } },
          (span) => {
            // the append's span, so that whoever reads the event (a projection, the Kafka relay, an
            // analytics consumer) can link its own trace to the command that caused it
            const traceparent = activeTraceparent();
            const toAppend = events.map((e, i) => ({
              ...e,
              ...(claim ? { eventId: idempotentEventId(claim, i) } : {}),
              metadata: {
                ...w.metadata,
                ...(claim
                  ? { idempotencyKey: claim.key, idempotencyScope: claim.scope, requestFingerprint: claim.fingerprint }
                  : {}),
                ...(traceparent ? { traceparent } : {}),
                ...e.metadata,
              },
            }));
            return this.store.appendToStream(w.streamId, toAppend, current.version).then((result) => {
              const last = result.globalPositions.at(-1);
              if (span.isRecording())
                span.setAttributes({
                  'append.duplicate': result.duplicate,
                  ...(last !== undefined ? { 'log.position': last } : {}),
                });
              return result;
            });
          },
        );
        // every id was stored already: a copy of this write committed; its answer is in the stream
        if (appended.duplicate) continue;
        const state = events.reduce((s, e) => this.model.evolve(s, e), current.state);
        const position = appended.globalPositions.at(-1);
        const keys = new Map(current.keys);
        if (claim)
          keys.set(scopedKey(claim), {
            version: appended.nextExpectedVersion,
            position: position ?? 0,
            fingerprint: claim.fingerprint,
          });
        this.remember(w.streamId, { state, version: appended.nextExpectedVersion, keys });
        return { state, version: appended.nextExpectedVersion, events, position, replayed: false };
      } catch (error) {
        this.cache.delete(w.streamId);
        // another process moved the stream (or wrote this key's ids first): decide again on what it wrote
        if (error instanceof EventIdConflict && claim) keyUsedElsewhere = true;
        else if (!(error instanceof ExpectedVersionConflict)) throw error;
        await delay(Math.random() * Math.min(50, 2 ** attempt));
      }
    }
  }

  private remember(streamId: string, entry: CachedStream<S>): void {
    if (entry.keys.size <= KEYS_PER_STREAM) return this.cache.set(streamId, entry);
    const newest = [...entry.keys].slice(-KEYS_PER_STREAM);
    this.cache.set(streamId, { ...entry, keys: new Map(newest) });
  }

  private newStream(): CachedStream<S> {
    return { state: this.model.initialState, version: 0, keys: new Map() };
  }

  /** The answer of the write that committed under this key: the state right after it. */
  private async replay(
    w: StreamWrite<S, E>,
    current: CachedStream<S>,
    done: { version: number; position: number; fingerprint?: string },
  ): Promise<StreamWriteResult<S, E>> {
    const claim = w.idempotency as IdempotencyClaim;
    if (done.fingerprint !== undefined && done.fingerprint !== claim.fingerprint)
      throw new IdempotencyKeyReused(claim.key);
    let state = current.state;
    if (done.version !== current.version) {
      const { events } = await this.store.readStream(w.streamId, { toVersion: done.version });
      state = (events as unknown as E[]).reduce((s, e) => this.model.evolve(s, e), this.model.initialState);
    }
    return { state, version: done.version, events: [], position: done.position, replayed: true };
  }
}

/** The idempotency key an event was written under, as its metadata records it. */
const keyOf = (event: RecordedEvent): { scoped: string; fingerprint?: string } | undefined => {
  const { idempotencyKey, idempotencyScope, requestFingerprint } = event.metadata;
  if (typeof idempotencyKey !== 'string' || typeof idempotencyScope !== 'string') return undefined;
  return {
    scoped: `${idempotencyScope}\u0000${idempotencyKey}`,
    fingerprint: typeof requestFingerprint === 'string' ? requestFingerprint : undefined,
  };
};
