import { setTimeout as delay } from 'node:timers/promises';
import {
  caseOpenFor,
  CaseAlreadyOpened,
  DomainRuleViolation,
  foldEvents,
  intakeDecider,
  toIntakeStreamId,
  type Actor,
  type IntakeEvent,
} from '@app/case-domain';
import type { Clock } from '@app/clock';
import { caseIdForIntake, ChangeCase, ChangeIntake, intakeCaseClaim, type CommandDoor } from '@app/commands';
import type { EventStore, SqlQueryable } from '@app/event-store';
import type { Metrics } from '@app/observability';
import {
  dueIntakeCounts,
  idleIntakes,
  unopenedCaseRequests,
  type DueIntake,
  type DueIntakesQuery,
  type IntakeCursor,
} from '@app/read-models';

/** The system actor of the sweep (recorded as `byId` and in the metadata). */
export const INTAKE_SWEEPER: Actor = Object.freeze({ id: 'system:intake-sweep', role: 'system' });

/**
 * How long after its `CaseRequested` an intake's case may still be missing before the sweep
 * opens it: the API opens it right after writing the request; this is for a crash between
 * the two writes.
 */
export const CASE_OPENING_GRACE_MS = 30_000;

export const INTAKE_SWEEP_ACTIONS = ['abandon', 'open-case'] as const;
export type IntakeSweepAction = (typeof INTAKE_SWEEP_ACTIONS)[number];
/** what became of one due intake (`intake_sweep_total`'s `outcome`) */
export const INTAKE_SWEEP_OUTCOMES = ['recorded', 'already', 'refused', 'failed'] as const;
export type IntakeSweepOutcome = (typeof INTAKE_SWEEP_OUTCOMES)[number];

export interface IntakeSweepOptions {
  /** the command door (the CommandBus): the sweep writes through the same handlers as the API */
  readonly commands: CommandDoor;
  /** where the intake's `CaseRequested` is read from */
  readonly store: EventStore;
  /** where the `intakes` read model is */
  readonly db: SqlQueryable;
  /** the injected clock: due times are compared with its `now()`, so tests move it without sleeping */
  readonly clock: Clock;
  /** INTAKE_ABANDON_AFTER */
  readonly abandonAfterMs: number;
  /** default {@link CASE_OPENING_GRACE_MS} */
  readonly caseGraceMs?: number;
  /** due intakes read at a time; default 100 */
  readonly batchSize?: number;
  /** how long this process leaves an intake alone after the domain refused its step; default 1 h */
  readonly refusedRetryMs?: number;
  /** `intake_sweep_total` as intakes are handled, `intake_sweep_due` on each scrape (while started) */
  readonly metrics?: Metrics;
  /** where errors go (the loop never stops on one) */
  readonly onError?: (error: unknown, context: string) => void;
  /** told what each pass of the loop did (a log line) */
  readonly onSwept?: (result: IntakeSweepResult) => void;
}

export interface IntakeSweepResult {
  /** intakes given `Abandoned` by this pass */
  readonly abandoned: readonly string[];
  /** intakes whose case this pass opened */
  readonly casesOpened: readonly string[];
  /** due intakes looked at, by both sweeps */
  readonly examined: number;
}

/**
 * The help assistant's sweep (R5–R8), a worker feature. Each `tick()`, at the clock's now:
 *
 * - **Abandonment.** Intakes still `suggesting` whose last activity (the `intakes` read
 *   model's `last_activity_at`) is at least INTAKE_ABANDON_AFTER old get `AbandonIntake`
 *   through the door, as {@link INTAKE_SWEEPER}. The decider decides again on the intake's
 *   own stream, so an intake that moved meanwhile (or that the read model shows late) is
 *   left as it is: it returns no event.
 * - **Completion.** Intakes `case-requested` whose case's `Opened` is not in the read model
 *   {@link CASE_OPENING_GRACE_MS} after the request get their case opened, as the API would
 *   have: `ChangeCase` with `caseOpenFor(the intake's tenant, its CaseRequested)` (the admin's request; the sweeper is the metadata's actor),
 *   case id `caseIdForIntake`, idempotency `intakeCaseClaim`. The claim gives the same event
 *   ids whoever writes first (the API, a retry, this sweep): the case is opened once, and a
 *   later attempt gets the first one's answer.
 *
 * The due times are the read model's, in the database: a restarted worker finds them. Any
 * number of sweeps may run (worker replicas, the API in embedded mode): the door's decisions
 * on each stream make a second sweep of the same intake write nothing.
 */
export class IntakeSweep {
  private serial: Promise<unknown> = Promise.resolve();
  /** `<action>:<intakeId>` → when this process tries it again after a refusal (ms) */
  private readonly refusedUntil = new Map<string, number>();
  private loop?: { abort: AbortController; done: Promise<void> };
  private stopMetrics?: () => void;

  constructor(private readonly o: IntakeSweepOptions) {}

  private get graceMs(): number {
    return this.o.caseGraceMs ?? CASE_OPENING_GRACE_MS;
  }

  /** One pass at the clock's now: both sweeps. Passes of one instance never overlap. */
  tick(): Promise<IntakeSweepResult> {
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
      for (const action of INTAKE_SWEEP_ACTIONS)
        for (const outcome of INTAKE_SWEEP_OUTCOMES) metrics.intakeSweeps.inc({ action, outcome }, 0);
      this.stopMetrics = metrics.onScrape(() => this.refreshMetrics());
    }
    const abort = new AbortController();
    const done = (async () => {
      while (!abort.signal.aborted) {
        await delay(pollMs, undefined, { signal: abort.signal }).catch(() => undefined);
        if (abort.signal.aborted) break;
        try {
          this.o.onSwept?.(await this.tick());
        } catch (error) {
          this.o.onError?.(error, 'intake sweep');
        }
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

  /** Sets `intake_sweep_due` from the read model at the clock's now (called on each scrape). */
  async refreshMetrics(): Promise<void> {
    const metrics = this.o.metrics;
    if (!metrics) return;
    try {
      const now = this.o.clock.now().getTime();
      const due = await dueIntakeCounts(this.o.db, {
        idleBefore: new Date(now - this.o.abandonAfterMs),
        requestedBefore: new Date(now - this.graceMs),
      });
      metrics.intakeSweepDue.set({ action: 'abandon' }, due.idle);
      metrics.intakeSweepDue.set({ action: 'open-case' }, due.unopened);
    } catch (error) {
      this.o.onError?.(error, 'intake sweep metrics');
      throw error;
    }
  }

  private async tickOnce(): Promise<IntakeSweepResult> {
    const now = this.o.clock.now();
    const abandon = await this.walk('abandon', idleIntakes, new Date(now.getTime() - this.o.abandonAfterMs), (id) =>
      this.abandon(id, now),
    );
    const open = await this.walk('open-case', unopenedCaseRequests, new Date(now.getTime() - this.graceMs), (id) =>
      this.openCase(id, now),
    );
    return {
      abandoned: abandon.recorded,
      casesOpened: open.recorded,
      examined: abandon.examined + open.examined,
    };
  }

  /** Every intake the query has due by `before`, oldest first, a page at a time, each handled once. */
  private async walk(
    action: IntakeSweepAction,
    query: (db: SqlQueryable, q: DueIntakesQuery) => Promise<DueIntake[]>,
    before: Date,
    handle: (intakeId: string) => Promise<IntakeSweepOutcome>,
  ): Promise<{ recorded: string[]; examined: number }> {
    const limit = this.o.batchSize ?? 100;
    const recorded: string[] = [];
    let examined = 0;
    let after: IntakeCursor | undefined;
    for (;;) {
      const page = await query(this.o.db, { before, after, limit });
      for (const due of page) {
        const key = `${action}:${due.intakeId}`;
        if ((this.refusedUntil.get(key) ?? 0) > this.o.clock.now().getTime()) continue;
        examined += 1;
        const outcome = await this.attempt(action, due.intakeId, handle);
        if (outcome === 'recorded') recorded.push(due.intakeId);
      }
      if (page.length < limit) return { recorded, examined };
      const last = page[page.length - 1];
      after = { at: last.at, intakeId: last.intakeId };
    }
  }

  private async attempt(
    action: IntakeSweepAction,
    intakeId: string,
    handle: (intakeId: string) => Promise<IntakeSweepOutcome>,
  ): Promise<IntakeSweepOutcome> {
    let outcome: IntakeSweepOutcome;
    try {
      outcome = await handle(intakeId);
      this.refusedUntil.delete(`${action}:${intakeId}`);
    } catch (error) {
      // a refusal will not change by itself: left alone for a while, and reported; anything
      // else (the store, a contention) is tried again at the next pass
      outcome = error instanceof DomainRuleViolation || error instanceof IntakeCaseMismatch ? 'refused' : 'failed';
      if (outcome === 'refused')
        this.refusedUntil.set(
          `${action}:${intakeId}`,
          this.o.clock.now().getTime() + (this.o.refusedRetryMs ?? 3_600_000),
        );
      this.o.onError?.(error, `intake ${intakeId} (${action})`);
    }
    this.o.metrics?.intakeSweeps.inc({ action, outcome });
    return outcome;
  }

  private async abandon(intakeId: string, now: Date): Promise<IntakeSweepOutcome> {
    const { events } = await this.o.commands.execute(
      new ChangeIntake({
        command: { type: 'AbandonIntake', intakeId, actor: INTAKE_SWEEPER, idleMs: this.o.abandonAfterMs },
        actor: INTAKE_SWEEPER,
        correlationId: `intake-sweep:${now.toISOString()}`,
      }),
    );
    return events.length > 0 ? 'recorded' : 'already';
  }

  private async openCase(intakeId: string, now: Date): Promise<IntakeSweepOutcome> {
    // the request as the intake's stream recorded it (the read model holds no answers)
    const { events } = await this.o.store.readStream(toIntakeStreamId(intakeId));
    const intake = foldEvents(intakeDecider, events as unknown as IntakeEvent[]);
    if (intake.status !== 'case-requested' || !intake.request || !intake.tenant) return 'already';
    const caseId = caseIdForIntake(intakeId);
    if (intake.request.caseId !== caseId) throw new IntakeCaseMismatch(intakeId, intake.request.caseId, caseId);
    try {
      const opened = await this.o.commands.execute(
        new ChangeCase({
          caseId,
          command: caseOpenFor(intake.tenant, intake.request),
          actor: INTAKE_SWEEPER,
          correlationId: `intake-sweep:${now.toISOString()}`,
          idempotency: intakeCaseClaim(intakeId),
        }),
      );
      return opened.events.length > 0 && !opened.replayed ? 'recorded' : 'already';
    } catch (error) {
      // opened by another door without the claim: the case exists, nothing left to do
      if (error instanceof CaseAlreadyOpened) return 'already';
      throw error;
    }
  }
}

/**
 * An intake whose request names another case than the one derived from its id (never, through
 * the API's door): the sweep does not guess which to open, and treats it as a refusal.
 */
export class IntakeCaseMismatch extends Error {
  constructor(intakeId: string, requested: string, derived: string) {
    super(
      `Intake ${intakeId} asked for case ${requested}, not ${derived} (caseIdForIntake); the sweep leaves it alone.`,
    );
    this.name = 'IntakeCaseMismatch';
  }
}
