import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type { Principal } from '@app/auth';
import {
  compareCheckpoints,
  EVENT_STORE,
  LOG_START,
  type EventStore,
  type LogCheckpoint,
  type RecordedEvent,
} from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import type { Logger } from '@app/observability';
import { ROOT_LOGGER } from '../app.tokens';
import { CaseTracker, liveEventsFor, type CaseMoment } from './case-event-feed';
import { DEFAULT_SSE_OPTIONS, type SseConnection, type SseConnectionOptions } from './sse-connection';

export const EVENT_STREAM_OPTIONS = Symbol('EVENT_STREAM_OPTIONS');

export interface EventStreamOptions extends SseConnectionOptions {
  /**
   * The read models a `progress` event vouches for: once each has applied the log up to a
   * position, a read of them with `?after=<position>` shows the events sent before it.
   */
  readonly progressProjections: readonly string[];
  /** events read at a time while a resuming client catches up */
  readonly catchUpBatch: number;
}

export const DEFAULT_EVENT_STREAM_OPTIONS: EventStreamOptions = {
  ...DEFAULT_SSE_OPTIONS,
  // the queues, the case list and the reports: what the console reads again on progress
  progressProjections: ['case-queue', 'case-summaries', 'case-reports'],
  catchUpBatch: 500,
};

/** How long one wait for the read models lasts before it is begun again (with the latest target). */
const PROGRESS_WAIT_MS = 2_000;

interface Subscriber {
  readonly principal: Principal;
  readonly connection: SseConnection;
  /** the last place of the log considered for this subscriber: nothing at or before it is sent again */
  checkpoint: LogCheckpoint;
  /** the last event sent and not yet followed by a progress event */
  unconfirmed?: { readonly checkpoint: LogCheckpoint; readonly position: number };
}

const checkpointOfEvent = (e: RecordedEvent): LogCheckpoint => ({
  transactionId: e.transactionId,
  globalPosition: e.globalPosition,
});

/** resolves when `signal` aborts or `wake` is called, whichever comes first */
class Wakeup {
  private waiting?: () => void;

  wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        this.waiting = undefined;
        resolve();
      };
      this.waiting = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    this.waiting?.();
  }
}

/**
 * The live stream of case events (GET /v1/events/stream): one follower of the global log for
 * the whole process, woken by the store's append signal (at once for appends of this process,
 * by NOTIFY for others'), fanning each batch out to the connected clients, each shown only
 * the cases it may see (R3, R4) and as its audience sees them (`liveEventsFor`). A client
 * resuming after a position reads the log from there on its own, then joins the live batches
 * without a gap or a repeat. After the read models named in the options have applied a
 * client's last events, it is sent a `progress` event.
 *
 * The follower starts with the first client, at the log's head, and runs until shutdown.
 */
@Injectable()
export class EventStreamHub implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly live = new Set<Subscriber>();
  private readonly joining = new Set<Subscriber>();
  private readonly options: EventStreamOptions;
  private readonly stop = new AbortController();
  private readonly progressWakeup = new Wakeup();
  private following?: Promise<void>;
  private loops?: Promise<unknown>;
  /** the hub's place in the log: every live subscriber has been given everything up to it */
  private checkpoint: LogCheckpoint = LOG_START;
  private progressTarget?: LogCheckpoint;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
    @Optional() @Inject(EVENT_STREAM_OPTIONS) options?: Partial<EventStreamOptions>,
    @Optional() @Inject(ROOT_LOGGER) private readonly logger?: Logger,
  ) {
    this.options = { ...DEFAULT_EVENT_STREAM_OPTIONS, ...options };
  }

  get connectionOptions(): SseConnectionOptions {
    return this.options;
  }

  /** how many clients are connected (live or catching up) */
  get subscribers(): number {
    return this.live.size + this.joining.size;
  }

  /** The place in the log of the event at a global position; undefined when there is none. 0: the log's start. */
  async checkpointOf(position: number): Promise<LogCheckpoint | undefined> {
    if (position === 0) return LOG_START;
    return this.store.reader().checkpointAt(position);
  }

  /**
   * Sends `principal` the case events they may see on `connection`: those after `after` (a
   * place in the log, from {@link checkpointOf}), else from now on, until the connection
   * closes or the application stops.
   */
  async subscribe(principal: Principal, connection: SseConnection, after?: LogCheckpoint): Promise<void> {
    if (this.stop.signal.aborted) return connection.close('shutdown');
    const subscriber: Subscriber = { principal, connection, checkpoint: after ?? LOG_START };
    this.joining.add(subscriber);
    connection.onClose(() => {
      this.joining.delete(subscriber);
      this.live.delete(subscriber);
    });
    try {
      await this.startFollowing();
      if (after === undefined) subscriber.checkpoint = this.checkpoint;
      await this.catchUp(subscriber);
    } catch (error) {
      this.logger?.warn({ err: error }, 'event stream: a client could not join the live stream');
      connection.close('shutdown');
    }
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.shutdown();
  }

  onApplicationShutdown(): Promise<void> {
    return this.shutdown();
  }

  /** Ends every connection (so the HTTP server can close) and stops following the log. */
  private async shutdown(): Promise<void> {
    this.stop.abort();
    for (const subscriber of [...this.joining, ...this.live]) subscriber.connection.close('shutdown');
    await this.loops?.catch(() => undefined);
  }

  private startFollowing(): Promise<void> {
    this.following ??= (async () => {
      this.checkpoint = (await this.store.head()) ?? LOG_START;
      this.loops = Promise.all([this.follow(this.stop.signal), this.confirmProgress(this.stop.signal)]);
    })().catch((error: unknown) => {
      this.following = undefined;
      throw error;
    });
    return this.following;
  }

  /**
   * Reads the log from the subscriber's place until it reaches the hub's, then makes it live,
   * with no await between the check and the joining (the hub moves only between awaits).
   */
  private async catchUp(subscriber: Subscriber): Promise<void> {
    const tracker = new CaseTracker(this.readHistory, 1_000);
    // whether its last read reached the end of the log: until then it reads on at its own pace
    // even past the hub's place, which lags behind the log when the hub's reads do (a busy
    // machine): joining there would send it what lies between as one live batch, cut as a
    // slow client's. Ahead of the hub is safe: a live batch skips what a subscriber has had.
    let atEnd = false;
    for (;;) {
      if (subscriber.connection.closed || this.stop.signal.aborted) return;
      if (atEnd && compareCheckpoints(subscriber.checkpoint, this.checkpoint) >= 0) {
        this.joining.delete(subscriber);
        this.live.add(subscriber);
        // from here on it is sent every batch the hub reads (a client may wait for this line)
        subscriber.connection.comment('live');
        if (subscriber.unconfirmed) this.wantProgress(subscriber.unconfirmed.checkpoint);
        return;
      }
      // at the client's pace: the next page once it has read most of the last one
      await subscriber.connection.writable();
      if (subscriber.connection.closed || this.stop.signal.aborted) return;
      const batch = await this.store.readAll({ after: subscriber.checkpoint, limit: this.options.catchUpBatch });
      atEnd = batch.events.length < this.options.catchUpBatch;
      if (batch.events.length === 0) {
        // the hub's place came from the log's head, which an older transaction still in flight
        // may precede: wait for the hub's next batch (or that transaction) and look again
        if (compareCheckpoints(subscriber.checkpoint, this.checkpoint) < 0)
          await new Promise((resolve) => setTimeout(resolve, 25));
        continue;
      }
      const moments = await tracker.moments(batch.events);
      this.deliver(subscriber, moments);
      subscriber.checkpoint = batch.checkpoint;
    }
  }

  /** The one follower of the log: each batch to every live subscriber, as each may see it. */
  private async follow(stop: AbortSignal): Promise<void> {
    const tracker = new CaseTracker(this.readHistory);
    while (!stop.aborted) {
      try {
        for await (const batch of this.store.follow({ after: this.checkpoint, signal: stop })) {
          // nobody to send to: only move on (the tracker reads a case again when it next needs it)
          const moments = this.live.size > 0 ? await tracker.moments(batch.events) : [];
          if (stop.aborted) return;
          let sent = false;
          for (const subscriber of this.live) {
            sent = this.deliver(subscriber, moments) || sent;
            // never back: a client that joined after reading past this batch keeps its place
            if (compareCheckpoints(batch.checkpoint, subscriber.checkpoint) > 0)
              subscriber.checkpoint = batch.checkpoint;
          }
          this.checkpoint = batch.checkpoint;
          if (sent) this.wantProgress(batch.checkpoint);
        }
      } catch (error) {
        if (stop.aborted) return;
        this.logger?.warn({ err: error }, 'event stream: reading the log failed; reading again in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  /** Sends a subscriber the events of `moments` after its checkpoint that it may see; true if any. */
  private deliver(subscriber: Subscriber, moments: readonly CaseMoment[]): boolean {
    let sent = false;
    for (const moment of moments) {
      if (subscriber.connection.closed) return sent;
      const events = moment.events.filter((e) => compareCheckpoints(checkpointOfEvent(e), subscriber.checkpoint) > 0);
      if (events.length === 0) continue;
      const shown = liveEventsFor(subscriber.principal, { ...moment, events });
      for (const event of shown) {
        subscriber.connection.send('case-event', event, event.position);
        const recorded = events.find((e) => e.globalPosition === event.position) as RecordedEvent;
        subscriber.unconfirmed = { checkpoint: checkpointOfEvent(recorded), position: event.position };
        sent = true;
      }
    }
    return sent;
  }

  private wantProgress(checkpoint: LogCheckpoint): void {
    if (!this.progressTarget || compareCheckpoints(checkpoint, this.progressTarget) > 0)
      this.progressTarget = checkpoint;
    this.progressWakeup.wake();
  }

  /**
   * Waits for the read models to reach the latest place events were sent up to, then tells
   * each subscriber whose last events they include: `progress` with that last event's position.
   */
  private async confirmProgress(stop: AbortSignal): Promise<void> {
    const names = this.options.progressProjections.filter((name) => this.projections.names().includes(name));
    while (!stop.aborted) {
      const target = this.progressTarget;
      if (!target) {
        await this.progressWakeup.wait(stop);
        continue;
      }
      try {
        const reached = await Promise.all(
          names.map((name) => this.projections.get(name).waitForPosition(target, PROGRESS_WAIT_MS)),
        );
        if (stop.aborted) return;
        if (!reached.every(Boolean)) continue;
      } catch (error) {
        if (stop.aborted) return;
        this.logger?.warn({ err: error }, 'event stream: waiting for the read models failed; trying again in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      for (const subscriber of this.live) {
        const last = subscriber.unconfirmed;
        if (!last || compareCheckpoints(last.checkpoint, target) > 0) continue;
        subscriber.connection.send('progress', { position: last.position });
        subscriber.unconfirmed = undefined;
      }
      if (this.progressTarget === target) this.progressTarget = undefined;
    }
  }

  private readonly readHistory = async (streamId: string, toVersion: number): Promise<readonly RecordedEvent[]> =>
    (await this.store.readStream(streamId, { toVersion })).events;
}
