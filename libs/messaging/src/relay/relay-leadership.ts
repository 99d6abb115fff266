import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { SqlLease, type SqlDatabase, type SqlLeaseHolder, type SqlQueryable } from '@app/event-store';
import { MESSAGING_COMPONENT } from './relay.migrations';

/**
 * Which relay publishes when several processes (worker replicas) run one over the same
 * store: the holder of a lease row, the others stand by. The same mechanism, the same SQL
 * ({@link SqlLease}, libs/event-store) and the same table (the store's `leases`, here under
 * the component `messaging`) as the projection runner's lease (docs/projections.md "One
 * runner per projection"):
 *
 * - taken when free, expired or already ours; expiry by the database's clock, the one
 *   clock every process shares;
 * - renewed by a heartbeat (every third of its duration) and **in every checkpoint
 *   transaction**: a relay whose lease another relay has taken cannot move the checkpoint
 *   (its commit rolls back), so the shared checkpoint only ever moves under the holder;
 * - given up at `stop()`: a standby takes over within its poll interval; a relay that dies
 *   without giving it up (killed, its database gone) keeps the standbys waiting until the
 *   lease expires.
 *
 * Why not a session advisory lock on a dedicated connection: the `SqlDatabase` port has no
 * dedicated connection (pooled queries and transactions only), and a lock silently lost
 * with its connection would need the same heartbeat to be noticed. A lease also bounds the
 * takeover when a leader's host vanishes without closing its connection (the server would
 * hold a session lock until TCP keepalive gives up).
 *
 * What the lease does not give: Kafka sends are not fenced. A leader that stalls past its
 * lease (a long GC pause, a lost database) may still send the batch it holds; the new
 * leader sends it too. That is at-least-once delivery, which consumers already handle
 * (they dedupe by `eventId`); a relay stops sending as soon as it sees that its lease has
 * run out by its own clock ({@link LeaderTerm.assertHeld}), and drops its producer.
 */
export interface RelayLeaseOptions {
  /** how long a leader that stops renewing keeps the standbys waiting; default 15 s (2 s under NODE_ENV=test) */
  readonly durationMs?: number;
  /** how often a standby asks for the lease; default 1 s (20 ms under NODE_ENV=test) */
  readonly standbyPollMs?: number;
}

/** Short waits in tests, seconds in production (as the projection runner's lease). */
export const defaultRelayLease = (): Required<RelayLeaseOptions> =>
  process.env.NODE_ENV === 'test'
    ? { durationMs: 2_000, standbyPollMs: 20 }
    : { durationMs: 15_000, standbyPollMs: 1_000 };

/** A lease owner id for this process: host, pid and a random part (a restarted process is another owner). */
export const relayOwner = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** This relay no longer holds its lease: it must neither send nor save a checkpoint. */
export class LeadershipLost extends Error {
  readonly code = 'MESSAGING.LEADERSHIP_LOST';
  /** another relay publishes meanwhile; this one stands by and may lead again later */
  readonly retriable = true;
  constructor(reason: string) {
    super(`The relay is no longer the leader: ${reason}`);
    this.name = 'LeadershipLost';
  }
}

// The WHERE of the acquire's ON CONFLICT is evaluated on the row as the last committer left
// it, so a standby asking while the leader's checkpoint transaction renews waits for that
// commit and then finds the lease renewed.
const leases = new SqlLease({ component: MESSAGING_COMPONENT });

export type RelayLeaseHolder = SqlLeaseHolder;

/** The relay process holding an unexpired lease, if any (for operators and tests). */
export const relayLeaseHolder = (q: SqlQueryable, relay: string): Promise<RelayLeaseHolder | undefined> =>
  leases.holder(q, relay);

/**
 * One relay's side of the lease. `mode: 'single'` (PGlite: one process, one connection)
 * leads at once and never loses: there is no other process to stand by.
 */
export class RelayLeadership {
  private readonly durationMs: number;
  readonly standbyPollMs: number;

  constructor(
    private readonly db: SqlDatabase,
    readonly relay: string,
    readonly owner: string,
    readonly mode: 'lease' | 'single',
    options: RelayLeaseOptions,
    /** a heartbeat that failed (the term goes on until the lease runs out) */
    private readonly onError: (error: unknown) => void,
  ) {
    const defaults = defaultRelayLease();
    this.durationMs = options.durationMs ?? defaults.durationMs;
    this.standbyPollMs = options.standbyPollMs ?? defaults.standbyPollMs;
  }

  /**
   * One attempt: a term when this relay now holds the lease, undefined when another relay
   * does. Throws when the database cannot be asked (the caller backs off).
   */
  async tryLead(): Promise<LeaderTerm | undefined> {
    if (this.mode === 'single') return new LeaderTerm(undefined, 0, 0, this.onError);
    const asked = performance.now();
    if (!(await this.acquire())) return undefined;
    return new LeaderTerm(this, asked, this.durationMs, this.onError);
  }

  /** Gives the lease up (if this relay holds it), so that a standby takes over at once. */
  async release(): Promise<void> {
    if (this.mode === 'single') return;
    await leases.release(this.db, this.relay, this.owner);
  }

  /** true when this relay holds the lease for the next `durationMs` (taken or renewed); on `q`, or the pool */
  async acquire(q: SqlQueryable = this.db): Promise<boolean> {
    return leases.acquire(q, this.relay, this.owner, this.durationMs, await this.db.presence?.());
  }
}

/**
 * A period during which this relay leads: from a successful acquisition until the lease is
 * lost (taken over, or run out by this process's clock before a renewal came back) or the
 * term is ended. `lost` aborts then; the relay stops sending and stands by again.
 */
export class LeaderTerm {
  private readonly losing = new AbortController();
  private readonly ending = new AbortController();
  /** performance.now() until which the lease surely holds: counted from when the renewal was asked */
  private validUntil: number;
  private watchdog?: NodeJS.Timeout;
  private readonly heartbeat?: Promise<void>;
  private reason_?: string;

  constructor(
    private readonly lease: RelayLeadership | undefined,
    askedAt: number,
    private readonly durationMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.validUntil = askedAt + durationMs;
    if (lease) {
      this.armWatchdog();
      this.heartbeat = this.beat();
    }
  }

  /** aborts when the lease is lost */
  get lost(): AbortSignal {
    return this.losing.signal;
  }

  /** why the term was lost */
  get reason(): string | undefined {
    return this.reason_;
  }

  /** Throws {@link LeadershipLost} unless this relay may still send. */
  assertHeld(): void {
    if (this.lease && !this.losing.signal.aborted && performance.now() >= this.validUntil)
      this.lose('the lease ran out before a renewal came back');
    if (this.losing.signal.aborted) throw new LeadershipLost(this.reason_ ?? 'lost');
  }

  /**
   * Renews the lease inside the checkpoint's transaction, and throws {@link LeadershipLost}
   * (rolling the checkpoint back) when another relay holds it: the fence that keeps a
   * deposed leader from moving the shared checkpoint.
   */
  async renewIn(tx: SqlQueryable): Promise<void> {
    if (!this.lease) return;
    await this.renew(tx);
    if (this.losing.signal.aborted) throw new LeadershipLost(this.reason_ ?? 'lost');
  }

  /** Stops the heartbeat. Idempotent. */
  async end(): Promise<void> {
    this.ending.abort();
    clearTimeout(this.watchdog);
    await this.heartbeat;
  }

  private async renew(q?: SqlQueryable): Promise<void> {
    const asked = performance.now();
    const held = await this.lease!.acquire(q);
    if (this.losing.signal.aborted) return; // a term once lost stays lost: the relay asks again from standby
    if (!held) return this.lose('another relay holds the lease');
    this.validUntil = Math.max(this.validUntil, asked + this.durationMs);
    this.armWatchdog();
  }

  private async beat(): Promise<void> {
    const every = Math.max(10, Math.floor(this.durationMs / 3));
    while (!this.ending.signal.aborted && !this.losing.signal.aborted) {
      await pause(every, this.ending.signal);
      if (this.ending.signal.aborted || this.losing.signal.aborted) return;
      try {
        await this.renew();
      } catch (error) {
        // the watchdog ends the term if no renewal succeeds before the lease runs out
        this.onError(error);
      }
    }
  }

  /** Loses the term at `validUntil` unless a renewal moved it on: even when a renewal hangs. */
  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    const check = () => {
      if (this.ending.signal.aborted || this.losing.signal.aborted) return;
      const left = this.validUntil - performance.now();
      if (left <= 0) this.lose('the lease ran out before a renewal came back');
      else this.watchdog = setTimeout(check, left).unref();
    };
    this.watchdog = setTimeout(check, Math.max(0, this.validUntil - performance.now())).unref();
  }

  private lose(reason: string): void {
    if (this.losing.signal.aborted) return;
    this.reason_ = reason;
    clearTimeout(this.watchdog);
    this.losing.abort(new LeadershipLost(reason));
  }
}

/** Waits `ms` (real time); resolves early on abort. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);
