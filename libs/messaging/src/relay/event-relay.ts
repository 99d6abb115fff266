import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffPolicy } from '@app/clock';
import {
  migrate,
  type EventStore,
  type LogCheckpoint,
  type ReadAllResult,
  type RecordedEvent,
  type SqlDatabase,
} from '@app/event-store';
import {
  createLogger,
  inSpan,
  linksToCauses,
  parseTraceparent,
  TRACEPARENT_HEADER,
  type Logger,
  type Metrics,
} from '@app/observability';
import { envelopeHeaders, toPublishableEvent, type PublishableEvent } from '../case-events/case-event-envelope';
import { evolveCaseState, type CaseStateSummary } from '../case-events/case-state';
import type { MessagePublisher, OutgoingMessage, TopicMessages, TopicSpec } from '../message-publisher.port';
import type { Pseudonymise } from '../pseudonymiser';
import type { CaseTopics } from '../topics';
import { MESSAGING_COMPONENT, MESSAGING_MIGRATIONS } from './relay.migrations';
import { RelayStateStore } from './relay-state.store';
import { RelayLeadership, relayOwner, type LeaderTerm, type RelayLeaseOptions } from './relay-leadership';

/** The checkpoint id of this relay (docs/conventions.md naming: `<app>:<processor>:v<N>`). */
export const KAFKA_RELAY_NAME = 'relay:kafka:v1';

/** the first wait after a failure, and the longest: the backoff doubles up to it (`@app/clock`'s backoff) */
export type RelayBackoff = BackoffPolicy;

/** Short waits in tests (as kafkajs does), seconds in production. */
export const defaultRelayBackoff = (): RelayBackoff =>
  process.env.NODE_ENV === 'test' ? { initialMs: 50, maxMs: 500 } : { initialMs: 200, maxMs: 30_000 };

export interface EventRelayOptions {
  readonly topics: CaseTopics;
  readonly partitions: number;
  /** undefined: the broker's default */
  readonly replicationFactor?: number;
  /** checkpoint id; default {@link KAFKA_RELAY_NAME} */
  readonly name?: string;
  /**
   * events read from the log per batch; default 5000. Each batch ends in one checkpoint
   * transaction, which the next send waits for: a relay that is behind (a restart, a rebuild
   * of the topics) drains in fewer of them; one that keeps up sends what there is.
   */
  readonly batchSize?: number;
  /** one send carries at most about this many bytes; default 900 kB (the broker takes 1 MB per batch) */
  readonly maxRequestBytes?: number;
  readonly backoff?: RelayBackoff;
  readonly logger?: Logger;
  /** called once the broker acknowledged these events (before the checkpoint is saved); for benchmarks */
  readonly onAcknowledged?: (events: readonly RecordedEvent[]) => void;
  /**
   * Who publishes when several processes run a relay over one store (relay-leadership.ts):
   * `lease` (the default on PostgreSQL): the holder of the lease row, the others stand by;
   * `single` (the default on PGlite: embedded, one process): this relay, at once.
   */
  readonly leadership?: 'lease' | 'single';
  /** the lease's duration and the standbys' poll interval */
  readonly lease?: RelayLeaseOptions;
  /** names this relay's process in the lease; default `<host>:<pid>:<random>` */
  readonly owner?: string;
  /** keeps the `kafka_relay_*` metrics (and refreshes lag and position on each scrape); none when absent */
  readonly metrics?: Metrics;
}

export interface RelayStatus {
  /** `standby`: another process's relay holds the lease and publishes */
  readonly state: 'new' | 'standby' | 'running' | 'retrying' | 'stopped';
  /** true while this relay holds the lease and publishes */
  readonly leader: boolean;
  /** the last event the broker acknowledged and the relay saved */
  readonly checkpoint: LogCheckpoint | null;
  /** events published (and acknowledged) since start, duplicates after a retry included */
  readonly publishedEvents: number;
  /** failures since the last success: sends, topic creation, reads */
  readonly consecutiveFailures: number;
  readonly lastError?: string;
}

interface PlannedBatch {
  readonly events: readonly RecordedEvent[];
  readonly checkpoint: LogCheckpoint;
  readonly states: ReadonlyMap<string, CaseStateSummary>;
  readonly requests: readonly TopicMessages[][];
  /** case, incident and intake events among `events` */
  readonly published: number;
}

const STATE_HEADERS = { 'schema-version': '1' } as const;

type CasePublishable = Extract<PublishableEvent, { stream: 'case' | 'incident' }>;

/** One message's share of a produce request: key, value, headers and record overhead. */
const sizeOf = (m: OutgoingMessage): number =>
  m.key.length +
  m.value.length +
  Object.entries(m.headers ?? {}).reduce((n, [k, v]) => n + k.length + v.length + 8, 0) +
  64;

/**
 * The relay from the event store to Kafka (docs/conventions.md). Follows the global log
 * from its checkpoint; for each batch of case, incident and intake events it publishes
 *  - every case and incident event to `topics.caseEvents`, keyed by case id (one case
 *    stays in one partition, in order), as a {@link CaseEventEnvelope} with only
 *    allow-listed, pseudonymised data, headers `event-id`, `event-type`, `schema-version`;
 *  - every help assistant intake event to `topics.intakeEvents`, keyed by intake id, the
 *    same way ({@link IntakeEventEnvelope});
 *  - each touched case's new summary to the compacted `topics.caseState`;
 * waits for the broker's acknowledgement (idempotent producer, acks from all in-sync
 * replicas), and only then moves its checkpoint. Delivery is at-least-once: after a crash
 * between the acknowledgement and the checkpoint, the batch goes out again. Consumers
 * dedupe by `eventId`.
 *
 * Failures (broker down, topic creation refused, the store unreachable) are retried with
 * bounded, jittered exponential backoff, forever: the relay never skips an event. Meanwhile
 * the store keeps taking appends and the lag grows; it drains when the broker is back.
 *
 * Any number of processes may run a relay over one store: one leads (holds the lease,
 * relay-leadership.ts) and publishes, the others stand by and take over from the shared
 * checkpoint when it stops or dies. Only the leader moves the checkpoint: the lease is
 * renewed in the checkpoint's transaction.
 */
export class EventRelay {
  private readonly name: string;
  private readonly states: RelayStateStore;
  private readonly logger: Logger;
  private readonly backoff: RelayBackoff;
  private readonly batchSize: number;
  private readonly maxRequestBytes: number;
  private readonly stopping = new AbortController();
  private readonly leadership: RelayLeadership;
  private loop?: Promise<void>;
  private stopMetrics?: () => void;
  private status_: RelayStatus = {
    state: 'new',
    leader: false,
    checkpoint: null,
    publishedEvents: 0,
    consecutiveFailures: 0,
  };
  private readonly warnedUnlisted = new Set<string>();
  /** summaries as committed; a read-through cache of relay_case_states (bounded) */
  private readonly stateCache = new Map<string, CaseStateSummary>();
  /** summaries of batches prepared but not saved yet */
  private readonly pendingStates = new Map<string, CaseStateSummary>();

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly publisher: MessagePublisher,
    private readonly pseudonymise: Pseudonymise,
    private readonly options: EventRelayOptions,
  ) {
    this.name = options.name ?? KAFKA_RELAY_NAME;
    this.states = new RelayStateStore(db, this.name);
    this.logger = options.logger ?? createLogger({ level: 'silent', service: 'kafka-relay' });
    this.backoff = options.backoff ?? defaultRelayBackoff();
    this.batchSize = options.batchSize ?? 5000;
    this.maxRequestBytes = options.maxRequestBytes ?? 900_000;
    this.leadership = new RelayLeadership(
      db,
      this.name,
      options.owner ?? relayOwner(),
      options.leadership ?? (db.kind === 'pglite' ? 'single' : 'lease'),
      options.lease ?? {},
      (error) => this.noteError(error, 'the lease could not be renewed'),
    );
  }

  /** this relay's name in the lease */
  get owner(): string {
    return this.leadership.owner;
  }

  /** The topics it creates at start: partitions and replication as configured. */
  get topicSpecs(): TopicSpec[] {
    const { topics, partitions, replicationFactor } = this.options;
    return [
      // kept forever: the topic is the analytics log, and consumers rebuild from offset 0
      {
        topic: topics.caseEvents,
        partitions,
        replicationFactor,
        config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
      },
      // the help assistant's intakes (R5–R8): their own topic, kept forever like the case events
      {
        topic: topics.intakeEvents,
        partitions,
        replicationFactor,
        config: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
      },
      { topic: topics.caseState, partitions, replicationFactor, config: { 'cleanup.policy': 'compact' } },
    ];
  }

  status(): RelayStatus {
    return this.status_;
  }

  /**
   * Applies the relay's migrations, then relays in the background until {@link stop}: as
   * the leader, or standing by until it can lead.
   */
  async start(): Promise<void> {
    if (this.loop) return;
    await migrate(this.db, { component: MESSAGING_COMPONENT, migrations: MESSAGING_MIGRATIONS });
    const metrics = this.options.metrics;
    if (metrics) {
      const labels = { relay: this.name };
      metrics.relayLeader.set(labels, 0);
      metrics.relayPublishedEvents.inc(labels, 0); // the series exist from the start, so rate() works at once
      metrics.relayErrors.inc(labels, 0);
      this.stopMetrics = metrics.onScrape(() => this.refreshMetrics());
    }
    this.loop = this.run(this.stopping.signal);
    this.logger.info(
      { topics: this.options.topics, relay: this.name, owner: this.owner, leadership: this.leadership.mode },
      'kafka relay started',
    );
  }

  /**
   * Stops following, drops the broker connection (a send in flight fails and is not saved),
   * waits for the loop, then gives the lease up so that a standby takes over at once.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.publisher.disconnect().catch(() => undefined);
    if (this.loop) {
      await this.loop;
      await this.leadership
        .release()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'kafka relay: could not give the lease up'));
    }
    this.stopMetrics?.();
    this.stopMetrics = undefined;
    this.setLeader(false);
    this.status_ = { ...this.status_, state: 'stopped' };
  }

  /**
   * Sets the gauges read from the database: the saved checkpoint's position and the events
   * after it. Called on each scrape (in every process running a relay, leader or not).
   */
  async refreshMetrics(): Promise<void> {
    const metrics = this.options.metrics;
    if (!metrics) return;
    try {
      const { checkpoint, events } = await this.states.lag();
      metrics.relayLastPublishedPosition.set({ relay: this.name }, checkpoint.globalPosition);
      metrics.relayLagEvents.set({ relay: this.name }, events);
    } catch (error) {
      this.logger.warn({ err: error }, `kafka relay: lag not measured: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Stands by until it holds the lease, leads until it loses it or stops, and again. */
  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let term: LeaderTerm | undefined;
      try {
        term = await this.leadership.tryLead();
      } catch (error) {
        if (signal.aborted) break;
        await this.failed(error, signal).catch(() => undefined); // e.g. the store is unreachable
        continue;
      }
      if (!term) {
        if (this.status_.state !== 'standby') {
          this.logger.info({ relay: this.name, owner: this.owner }, 'kafka relay: another relay leads; standing by');
          this.status_ = { ...this.status_, state: 'standby', consecutiveFailures: 0, lastError: undefined };
        }
        await sleep(this.leadership.standbyPollMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      try {
        await this.lead(term, signal);
      } finally {
        await term.end();
        this.setLeader(false);
      }
      if (!signal.aborted) {
        this.logger.warn({ relay: this.name, owner: this.owner, reason: term.reason }, 'kafka relay: lost the lease');
        this.status_ = { ...this.status_, state: 'retrying', lastError: term.reason };
      }
    }
  }

  /** Publishes from the shared checkpoint while `term` lasts. */
  private async lead(term: LeaderTerm, stop: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([stop, term.lost]);
    // a send in flight when the lease is lost fails now, rather than publish for a relay that no longer leads
    const dropProducer = () => void this.publisher.reset().catch(() => undefined);
    term.lost.addEventListener('abort', dropProducer, { once: true });
    // another relay may have led meanwhile and moved the summaries on: read them from the table again
    this.stateCache.clear();
    this.pendingStates.clear();
    this.setLeader(true);
    this.logger.info({ relay: this.name, owner: this.owner }, 'kafka relay: leading (holds the lease)');
    let topicsReady = false;
    let sending: Promise<void> = Promise.resolve();
    try {
      while (!signal.aborted) {
        try {
          if (!topicsReady) {
            await this.publisher.ensureTopics(this.topicSpecs);
            topicsReady = true;
          }
          const after = await this.states.checkpoint();
          this.status_ = { ...this.status_, state: 'running', checkpoint: after };
          // Two batches in hand: while the broker acknowledges batch N (and its checkpoint
          // commits), batch N+1 is read and prepared. N+1 is sent only after N is saved, so
          // the order on the topics and of the checkpoints is the log's.
          // A failed send ends the follow at once (it may be waiting for new events), and the
          // loop starts over from the saved checkpoint.
          const failed = new AbortController();
          const following = this.store.follow({
            after,
            limit: this.batchSize,
            signal: AbortSignal.any([signal, failed.signal]),
          });
          for await (const batch of following) {
            const planned = await this.plan(batch);
            await sending;
            sending = this.send(planned, term, signal);
            sending.catch(() => failed.abort());
          }
          await sending;
        } catch (error) {
          // a send still in flight finishes (or fails) first; then prepared but unsaved
          // summaries are dropped, and the restart reads the saved ones from the table
          await sending.catch(() => undefined);
          sending = Promise.resolve();
          this.pendingStates.clear();
          if (signal.aborted) break;
          // e.g. the store is unreachable, or the topics could not be created: start over
          // from the saved checkpoint after a while
          await this.failed(error, signal).catch(() => undefined);
        }
      }
    } finally {
      term.lost.removeEventListener('abort', dropProducer);
    }
  }

  /** The messages of a batch and the case summaries they lead to. */
  private async plan({ events, checkpoint }: ReadAllResult): Promise<PlannedBatch> {
    /** the W3C trace context the command door recorded with each event, sent as the `traceparent` header */
    const traceparents = new Map<PublishableEvent, string>();
    const publishable = events.flatMap((event) => {
      const p = toPublishableEvent(event, this.pseudonymise);
      if (p && !p.listed) this.warnUnlisted(p);
      if (p && parseTraceparent(event.metadata.traceparent)) traceparents.set(p, event.metadata.traceparent as string);
      return p ? [p] : [];
    });
    const states = await this.nextStates(publishable);
    for (const [id, state] of states) this.pendingStates.set(id, state);
    const message = (p: PublishableEvent) => {
      const traceparent = traceparents.get(p);
      return {
        key: p.key,
        value: JSON.stringify(p.envelope),
        headers: traceparent
          ? { ...envelopeHeaders(p.envelope), [TRACEPARENT_HEADER]: traceparent }
          : envelopeHeaders(p.envelope),
      };
    };
    const eventMessages = publishable.filter((p) => p.stream !== 'intake').map(message);
    const intakeMessages = publishable.filter((p) => p.stream === 'intake').map(message);
    const stateMessages = [...states].map(([caseId, state]) => ({
      key: caseId,
      value: JSON.stringify(state),
      headers: STATE_HEADERS,
    }));
    // state after events: a reader of both never sees a summary ahead of the events
    const requests = [
      ...this.requests([
        { topic: this.options.topics.caseEvents, messages: eventMessages },
        { topic: this.options.topics.intakeEvents, messages: intakeMessages },
        { topic: this.options.topics.caseState, messages: stateMessages },
      ]),
    ];
    return { events, checkpoint, states, requests, published: publishable.length };
  }

  /**
   * Publishes until acknowledged, then saves checkpoint and summaries together, renewing
   * the lease in the same transaction (a relay that lost it saves nothing).
   */
  private send(batch: PlannedBatch, term: LeaderTerm, signal: AbortSignal): Promise<void> {
    // one span per batch (docs/tracing.md): in its own trace, linked to the commands whose events it carries
    return inSpan(
      'relay batch',
      {
        root: true,
        attributes: {
          'relay.name': this.name,
          'batch.events': batch.events.length,
          'batch.published': batch.published,
          'batch.requests': batch.requests.length,
          'log.first_position': batch.events[0]?.globalPosition ?? 0,
          'log.through_position': batch.checkpoint.globalPosition,
        },
      },
      async (span) => {
        if (span.isRecording()) span.addLinks(linksToCauses(batch.events));
        await this.sendBatch(batch, term, signal);
      },
    );
  }

  private async sendBatch(batch: PlannedBatch, term: LeaderTerm, signal: AbortSignal): Promise<void> {
    for (const request of batch.requests) await this.publishUntilAcknowledged(request, term, signal);
    this.options.onAcknowledged?.(batch.events);
    await this.states.commit(batch.checkpoint, batch.states, (tx) => term.renewIn(tx));
    this.remember(batch.states);
    this.status_ = {
      state: 'running',
      leader: true,
      checkpoint: batch.checkpoint,
      publishedEvents: this.status_.publishedEvents + batch.published,
      consecutiveFailures: 0,
    };
    const metrics = this.options.metrics;
    if (metrics) {
      metrics.relayPublishedEvents.inc({ relay: this.name }, batch.published);
      metrics.relayLastPublishedPosition.set({ relay: this.name }, batch.checkpoint.globalPosition);
    }
  }

  /**
   * Folds the batch's case events into the latest summaries: those of a batch still being
   * sent, else the saved ones (cache, then table). Idempotent per event.
   */
  private async nextStates(publishable: readonly PublishableEvent[]): Promise<Map<string, CaseStateSummary>> {
    // only a case's own events make its summary: incident and intake events never do
    const caseEvents = publishable.filter((p): p is CasePublishable => p.stream === 'case');
    const ids = [...new Set(caseEvents.map((p) => p.key))];
    const missing = ids.filter((id) => !this.pendingStates.has(id) && !this.stateCache.has(id));
    const loaded = await this.states.caseStates(missing);
    const next = new Map<string, CaseStateSummary>();
    for (const p of caseEvents) {
      const previous =
        next.get(p.key) ?? this.pendingStates.get(p.key) ?? this.stateCache.get(p.key) ?? loaded.get(p.key) ?? null;
      // already folded: not after a crash (summaries and checkpoint commit together), but after a hand-reset checkpoint
      if (previous && p.streamVersion <= previous.version) continue;
      next.set(p.key, evolveCaseState(previous, p.envelope, p.streamVersion));
    }
    return next;
  }

  private remember(states: ReadonlyMap<string, CaseStateSummary>): void {
    for (const [id, state] of states) {
      // a later batch may have planned a newer summary already: that one stays pending
      if (this.pendingStates.get(id) === state) this.pendingStates.delete(id);
    }
    for (const [id, state] of states) {
      this.stateCache.delete(id); // re-insert: Map order is the eviction order
      this.stateCache.set(id, state);
    }
    for (const id of this.stateCache.keys()) {
      if (this.stateCache.size <= 20_000) break;
      this.stateCache.delete(id);
    }
  }

  /** Splits the messages into produce requests of at most `maxRequestBytes`, keeping their order. */
  private *requests(batches: readonly TopicMessages[]): Generator<TopicMessages[]> {
    let request: { topic: string; messages: OutgoingMessage[] }[] = [];
    let bytes = 0;
    for (const { topic, messages } of batches) {
      for (const message of messages) {
        const size = sizeOf(message);
        if (bytes > 0 && bytes + size > this.maxRequestBytes) {
          yield request;
          request = [];
          bytes = 0;
        }
        const last = request[request.length - 1];
        if (last?.topic === topic) last.messages.push(message);
        else request.push({ topic, messages: [message] });
        bytes += size;
      }
    }
    if (request.length > 0) yield request;
  }

  private async publishUntilAcknowledged(
    request: readonly TopicMessages[],
    term: LeaderTerm,
    signal: AbortSignal,
  ): Promise<void> {
    for (;;) {
      term.assertHeld(); // a relay whose lease ran out sends nothing more (another may lead by now)
      try {
        await this.publisher.publish(request);
        if (this.status_.consecutiveFailures > 0) {
          this.logger.info(
            { failures: this.status_.consecutiveFailures },
            'kafka relay: the broker acknowledges again',
          );
          this.status_ = { ...this.status_, state: 'running', consecutiveFailures: 0, lastError: undefined };
        }
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        // a fresh producer next time: its new producer id cannot trip over the sequence
        // numbers of a send whose outcome is unknown (duplicates are fine, gaps are not)
        await this.publisher.reset();
        await this.failed(error, signal);
      }
    }
  }

  private setLeader(leader: boolean): void {
    this.status_ = { ...this.status_, leader };
    this.options.metrics?.relayLeader.set({ relay: this.name }, leader ? 1 : 0);
  }

  /** Counts a failure that does not change the relay's state (a heartbeat), and logs it. */
  private noteError(error: unknown, what: string): void {
    this.options.metrics?.relayErrors.inc({ relay: this.name });
    this.logger.warn({ err: error, relay: this.name }, `kafka relay: ${what}: ${(error as Error)?.message ?? error}`);
  }

  /** Records a failure, logs it, and waits the backoff (rejects if stopped meanwhile). */
  private async failed(error: unknown, signal: AbortSignal): Promise<void> {
    this.options.metrics?.relayErrors.inc({ relay: this.name });
    const failures = this.status_.consecutiveFailures + 1;
    const message = error instanceof Error ? error.message : String(error);
    const retriable = (error as { retriable?: boolean }).retriable !== false;
    const waitMs = Math.round(backoffDelay(failures, this.backoff)); // jitter: relays restarted together spread out
    this.status_ = { ...this.status_, state: 'retrying', consecutiveFailures: failures, lastError: message };
    this.logger[retriable ? 'warn' : 'error'](
      { err: error, failures, retryInMs: waitMs, checkpoint: this.status_.checkpoint },
      `kafka relay: ${message}; retrying`,
    );
    await sleep(waitMs, undefined, { signal });
  }

  private warnUnlisted({ envelope: { type, schemaVersion } }: PublishableEvent): void {
    const id = `${type}.v${schemaVersion}`;
    if (this.warnedUnlisted.has(id)) return;
    this.warnedUnlisted.add(id);
    this.logger.warn(
      { type, schemaVersion },
      `kafka relay: no publication policy for ${id}; publishing its base fields only (add it to publication-policy.ts)`,
    );
  }
}
