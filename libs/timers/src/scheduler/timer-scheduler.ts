import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { CaseState, OpenedCase } from '@app/case-domain';
import { backoffCeiling, type BackoffPolicy, type Clock } from '@app/clock';
import { migrate, type EventStore, type SqlDatabase } from '@app/event-store';
import type { CommandDoor } from '@app/commands';
import type { Metrics } from '@app/observability';
import type { NotificationDispatch, NotificationMailer } from '../mail/notification-mailer';
import type { MailDispatch, SurveyMailer } from '../mail/survey-mailer';
import { DEFAULT_WAITING_DAYS, plannedTimers, TIMER_KINDS, type TimerKind } from '../plan/timer-plan';
import type { SlaService } from '@app/sla';
import { TIMERS_COMPONENT, TIMERS_MIGRATIONS } from '../store/timers.migrations';
import {
  claimDue,
  finishTimer,
  pendingTimerCounts,
  rescheduleTimer,
  retryTimerLater,
  type ClaimedTimer,
} from '../store/timer-table';
import { fireTimer, type FireOutcome } from './timer-firing';
import { TimerIndexer } from './timer-indexer';

const DAY_MS = 86_400_000;

export interface TimerSchedulerOptions {
  readonly store: EventStore;
  /** the command door (the CommandBus): timers write through the same handler as every other write */
  readonly commands: CommandDoor;
  readonly db: SqlDatabase;
  /** the injected clock: due times are compared with its `now()`, so tests move it without sleeping */
  readonly clock: Clock;
  readonly sla: SlaService;
  /** R15 (SURVEY_DELAY) */
  readonly surveyDelayMs: number;
  /** R15 (AUTO_CLOSE_DAYS): calendar days, not business days */
  readonly autoCloseDays: number;
  /** R10/R13 (AUTO_ESCALATE_ON_BREACH) */
  readonly autoEscalateOnBreach: boolean;
  /** R11 (WAITING_REMINDER): business days of the case's calendar into a wait on the customer; default 3 */
  readonly waitingReminderDays?: number;
  /** R11 (WAITING_AUTO_CLOSE): business days into the wait before it is resolved unanswered; default 10 */
  readonly waitingAutoCloseDays?: number;
  /** sends the survey e-mails; without it, the outbox rows wait for a scheduler that has one */
  readonly mailer?: SurveyMailer;
  /** sends the notification e-mails (docs/notifications.md); without it, their rows wait likewise */
  readonly notifier?: NotificationMailer;
  /** this instance's id in leases; default host:pid:random */
  readonly owner?: string;
  /** how long a claimed timer is held; default 30 s */
  readonly leaseMs?: number;
  /** timers claimed at a time; default 50 */
  readonly batchSize?: number;
  /** firings tried before a timer is marked failed; default 10 */
  readonly maxAttempts?: number;
  /** where errors go (the loop never stops on one); default: nowhere but the timer row */
  readonly onError?: (error: unknown, context: string) => void;
  /**
   * keeps the `timers_*` metrics: firings and failures as they happen, and (while started)
   * pending and due timers read from the table on each scrape; none when absent
   */
  readonly metrics?: Metrics;
}

export interface FiredTimer {
  readonly timerId: string;
  readonly kind: TimerKind;
  readonly outcome: FireOutcome['kind'] | 'error';
}

export interface TickResult {
  /** events of the log the indexer read */
  readonly indexed: number;
  readonly fired: readonly FiredTimer[];
  readonly mailed: readonly MailDispatch[];
  /** the notification e-mails of this tick */
  readonly notified: readonly NotificationDispatch[];
}

/** A timer whose firing failed is tried again: 1 s, 2 s, 4 s… up to 5 min (`retryTimerLater`). */
const TIMER_RETRY: BackoffPolicy = { initialMs: 1_000, maxMs: 300_000 };

/** A lease owner id for this process: host, pid and a random part (a restarted process is another owner). */
export const instanceOwner = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Creates the timers' tables (idempotent; safe when several processes start together). */
export const migrateTimers = (db: SqlDatabase) =>
  migrate(db, { component: TIMERS_COMPONENT, migrations: TIMERS_MIGRATIONS });

/**
 * The durable scheduler (docs/sla.md). Each `tick()` catches the timer index up with the
 * log, fires every timer due at the clock's `now()` and sends the pending survey and
 * notification e-mails (docs/notifications.md).
 * `start()` ticks every `pollMs` (SCHEDULER_POLL, default 1 s: a breach is recorded within
 * that of its due time); tests call `tick()` after moving a ManualClock instead.
 *
 * Several schedulers may run (worker replicas): claims skip each other's locked rows and
 * leases hand a dead scheduler's timers over; `fireTimer` makes each effect happen once.
 */
export class TimerScheduler {
  readonly owner: string;
  private readonly indexer: TimerIndexer;
  private serial: Promise<unknown> = Promise.resolve();
  private loop?: { abort: AbortController; done: Promise<void> };
  private stopMetrics?: () => void;

  constructor(private readonly o: TimerSchedulerOptions) {
    this.owner = o.owner ?? instanceOwner();
    const settings = {
      surveyDelayMs: o.surveyDelayMs,
      autoCloseMs: o.autoCloseDays * DAY_MS,
      slaReport: (state: CaseState) => o.sla.report(state, o.clock.now()),
      waiting: { ...this.waitingDays(), calendarOf: (state: OpenedCase) => o.sla.calendarOf(state.sla.terms) },
    };
    this.indexer = new TimerIndexer(o.store, o.db, (state) => plannedTimers(state, settings), o.clock);
  }

  /** One pass: index, fire what is due, send mails. Ticks of one instance never overlap. */
  tick(): Promise<TickResult> {
    const run = this.serial.then(() => this.tickOnce());
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Ticks every `pollMs` until `stop()`; an error is reported and the next tick goes on. */
  start(pollMs: number): void {
    if (this.loop) return;
    const metrics = this.o.metrics;
    if (metrics) {
      // every series exists from the start, so rate() and absent() work at once
      for (const kind of TIMER_KINDS) {
        for (const outcome of FIRE_OUTCOMES) metrics.timersFired.inc({ kind, outcome }, 0);
        for (const final of ['true', 'false']) metrics.timerFailures.inc({ kind, final }, 0);
      }
      this.stopMetrics = metrics.onScrape(() => this.refreshMetrics());
    }
    const abort = new AbortController();
    const done = (async () => {
      while (!abort.signal.aborted) {
        try {
          await this.tick();
        } catch (error) {
          this.o.onError?.(error, 'tick');
        }
        await pause(pollMs, abort.signal);
      }
    })();
    this.loop = { abort, done };
  }

  async stop(): Promise<void> {
    this.stopMetrics?.();
    this.stopMetrics = undefined;
    if (!this.loop) return;
    this.loop.abort.abort();
    await this.loop.done;
    this.loop = undefined;
  }

  /**
   * Sets the gauges read from the `timers` table at the clock's now: pending timers, those
   * due (now or overdue) and how overdue the oldest is, per kind. Called on each scrape.
   */
  async refreshMetrics(): Promise<void> {
    const metrics = this.o.metrics;
    if (!metrics) return;
    try {
      const counts = await pendingTimerCounts(this.o.db, this.o.clock.now());
      for (const kind of TIMER_KINDS) {
        const c = counts.get(kind);
        metrics.timersPending.set({ kind }, c?.pending ?? 0);
        metrics.timersDue.set({ kind }, c?.due ?? 0);
        metrics.timersOverdueSeconds.set({ kind }, c?.overdueSeconds ?? 0);
      }
    } catch (error) {
      this.o.onError?.(error, 'timer metrics');
      throw error;
    }
  }

  private async tickOnce(): Promise<TickResult> {
    let indexed = await this.indexer.catchUp();
    const fired: FiredTimer[] = [];
    const batch = this.o.batchSize ?? 50;
    for (let round = 0; round < 100; round++) {
      const now = this.o.clock.now();
      const lease = new Date(now.getTime() + (this.o.leaseMs ?? 30_000));
      const claimed = await claimDue(this.o.db, this.owner, now, lease, batch);
      for (const timer of claimed) fired.push(await this.fire(timer));
      if (claimed.length < batch) break;
    }
    // what the timers just recorded (SurveySent, Closed…) re-plans its case and queues its mail now
    if (fired.some((f) => f.outcome === 'recorded')) indexed += await this.indexer.catchUp();
    const mailed = this.o.mailer ? await this.o.mailer.dispatch() : [];
    const notified = this.o.notifier ? await this.o.notifier.dispatch() : [];
    return { indexed, fired, mailed, notified };
  }

  /** R11: WAITING_REMINDER and WAITING_AUTO_CLOSE, or their defaults */
  private waitingDays() {
    return {
      reminderDays: this.o.waitingReminderDays ?? DEFAULT_WAITING_DAYS.reminderDays,
      autoCloseDays: this.o.waitingAutoCloseDays ?? DEFAULT_WAITING_DAYS.autoCloseDays,
    };
  }

  private async fire(timer: ClaimedTimer): Promise<FiredTimer> {
    const { db, clock } = this.o;
    const settings = {
      sla: this.o.sla,
      surveyDelayMs: this.o.surveyDelayMs,
      autoCloseMs: this.o.autoCloseDays * DAY_MS,
      autoEscalateOnBreach: this.o.autoEscalateOnBreach,
      waiting: this.waitingDays(),
    };
    try {
      const outcome = await fireTimer(timer, this.o.commands, settings);
      if (outcome.kind === 'not-yet') await rescheduleTimer(db, timer, this.owner, outcome.dueAt, clock.now());
      else {
        const state = outcome.kind === 'obsolete' ? 'cancelled' : 'done';
        await finishTimer(
          db,
          timer,
          this.owner,
          state,
          clock.now(),
          outcome.kind === 'obsolete' ? outcome.reason : null,
        );
      }
      this.o.metrics?.timersFired.inc({ kind: timer.kind, outcome: outcome.kind });
      return { timerId: timer.id, kind: timer.kind, outcome: outcome.kind };
    } catch (error) {
      // a store or database error: retriable; back off (1 s, 2 s, 4 s… up to 5 min), give up after maxAttempts
      this.o.onError?.(error, `timer ${timer.id}`);
      const message = error instanceof Error ? error.message : String(error);
      const now = clock.now();
      const final = timer.attempts >= (this.o.maxAttempts ?? 10);
      this.o.metrics?.timerFailures.inc({ kind: timer.kind, final: String(final) });
      if (final) await finishTimer(db, timer, this.owner, 'failed', now, message);
      else {
        const delay = backoffCeiling(timer.attempts, TIMER_RETRY);
        await retryTimerLater(db, timer, this.owner, new Date(now.getTime() + delay), message);
      }
      return { timerId: timer.id, kind: timer.kind, outcome: 'error' };
    }
  }
}

/** The outcomes of a firing that did not fail (`timers_fired_total`'s `outcome` label). */
const FIRE_OUTCOMES: readonly FireOutcome['kind'][] = ['recorded', 'already', 'obsolete', 'not-yet'];

/** Waits between ticks of the production loop (real time); resolves early on abort. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);
