import {
  DomainRuleViolation,
  isOpenedCase,
  NO_CUSTOMER_ANSWER,
  SURVEY_SENDER,
  surveyIdFor,
  type Actor,
  type CaseCommand,
  type OpenedCase,
} from '@app/case-domain';
import { ChangeCase, type CommandDoor } from '@app/commands';
import type { SlaService } from '@app/sla';
import { DEFAULT_WAITING_DAYS, waitingDueTimes, type WaitingDays } from '../plan/timer-plan';
import type { ClaimedTimer } from '../store/timer-table';

/** The system actors of the timers (recorded as `byId` and in the metadata). */
export const SLA_TIMER: Actor = Object.freeze({ id: 'system:sla-timer', role: 'system' });
export const AUTO_CLOSER: Actor = Object.freeze({ id: 'system:auto-close', role: 'system' });
/** R11: the waiting timers' actor (the reminder, and the resolution of a case left unanswered) */
export const WAITING_TIMER: Actor = Object.freeze({ id: 'system:waiting-timer', role: 'system' });

export interface FiringSettings {
  readonly sla: SlaService;
  readonly surveyDelayMs: number;
  readonly autoCloseMs: number;
  readonly autoEscalateOnBreach: boolean;
  /** R11: WAITING_REMINDER and WAITING_AUTO_CLOSE (default 3 and 10 business days) */
  readonly waiting?: WaitingDays;
}

/** What firing a timer came to. */
export type FireOutcome =
  /** the command was decided and its events appended (or, with `duplicate`, found appended already) */
  | { readonly kind: 'recorded'; readonly events: readonly string[] }
  /** what the timer was for had happened already: a second scheduler, a retry */
  | { readonly kind: 'already' }
  /** it no longer applies: the clock stopped or paused, the case was reopened or closed */
  | { readonly kind: 'obsolete'; readonly reason: string }
  /** fired before its time (the due time moved and the index has not caught up): try again then */
  | { readonly kind: 'not-yet'; readonly dueAt: Date };

type Step = { readonly outcome: FireOutcome } | { readonly command: CaseCommand };

const obsolete = (reason: string): Step => ({ outcome: { kind: 'obsolete', reason } });

/**
 * Fires one timer through the command door: the handler reads the case (or has it), and
 * the plan below decides whether the timer still stands (the stored due time may be stale:
 * the indexer lags the log) and what command it sends. Exactly once per timer, even with
 * two schedulers: the handler appends at the version it decided on and decides again on
 * what another writer wrote, where the command changes nothing (a breach is recorded once
 * per clock and cycle, a survey once per cycle, a close once, a reminder once per wait, and a
 * case resolved for want of an answer is found resolved); and the timer id is the
 * write's idempotency key, so its events' ids derive from it and a second firing of a
 * timer whose events are in the log is answered as already done.
 */
export const fireTimer = async (
  timer: ClaimedTimer,
  commands: CommandDoor,
  settings: FiringSettings,
): Promise<FireOutcome> => {
  let outcome: FireOutcome | undefined;
  try {
    const result = await commands.execute(
      new ChangeCase({
        caseId: timer.payload.caseId,
        command: (state, at) => {
          outcome = undefined; // the plan may run again, on a fresher state
          const step: Step = isOpenedCase(state) ? decideFiring(timer, state, at, settings) : obsolete('no such case');
          if ('outcome' in step) {
            outcome = step.outcome;
            return null;
          }
          return step.command;
        },
        correlationId: `timer:${timer.id}`,
        causationId: timer.id,
        // the timer id is the write's key: a second firing of a timer whose events are in the log is answered as done
        idempotency: { scope: 'system:timers', key: timer.id, fingerprint: timer.id },
      }),
    );
    if (outcome) return outcome;
    if (result.replayed || result.events.length === 0) return { kind: 'already' };
    return { kind: 'recorded', events: result.events.map((e) => e.type) };
  } catch (error) {
    if (error instanceof DomainRuleViolation) return { kind: 'obsolete', reason: error.code };
    throw error;
  }
};

const decideFiring = (timer: ClaimedTimer, state: OpenedCase, now: Date, s: FiringSettings): Step => {
  const { caseId, cycle, clock } = timer.payload;
  if (state.status === 'closed')
    return timer.kind === 'auto-close' ? { outcome: { kind: 'already' } } : obsolete('closed');
  if (state.cycle !== cycle) return obsolete(`the case is in cycle ${state.cycle}`);
  switch (timer.kind) {
    case 'sla-breach': {
      const report = s.sla.report(state, now);
      const cycleFigures = report?.cycles.find((c) => c.cycle === cycle);
      const f = cycleFigures && (clock === 'resolution' ? cycleFigures.resolution : cycleFigures.firstResponse);
      if (!report || !f || !clock) return obsolete('no SLA clock');
      if (f.breachRecorded) return { outcome: { kind: 'already' } };
      if (f.dueAt === undefined || f.targetMs === undefined || f.state === 'met' || f.state === 'paused')
        return obsolete(`the ${clock} clock is ${f.state}`);
      const dueAt = Date.parse(f.dueAt);
      if (now.getTime() <= dueAt) return { outcome: { kind: 'not-yet', dueAt: new Date(dueAt + 1) } };
      const { calendarId, calendarVersion, policyVersion } = report.computedWith;
      return {
        command: {
          type: 'RecordSlaBreach',
          caseId,
          actor: SLA_TIMER,
          clock,
          cycle,
          dueAt: f.dueAt,
          targetMs: f.targetMs,
          calendarId,
          calendarVersion,
          policyVersion,
          escalate: s.autoEscalateOnBreach,
        },
      };
    }
    case 'send-survey': {
      if (state.status !== 'resolved' || !state.resolution) return obsolete(`the case is ${state.status}`);
      if (state.survey?.cycle === cycle) return { outcome: { kind: 'already' } };
      const dueAt = Date.parse(state.resolution.at) + s.surveyDelayMs;
      if (now.getTime() < dueAt) return { outcome: { kind: 'not-yet', dueAt: new Date(dueAt) } };
      return { command: { type: 'SendSurvey', caseId, actor: SURVEY_SENDER, surveyId: surveyIdFor(caseId, cycle) } };
    }
    case 'auto-close': {
      if (state.status !== 'resolved' || !state.resolution) return obsolete(`the case is ${state.status}`);
      const dueAt = Date.parse(state.resolution.at) + s.autoCloseMs;
      if (now.getTime() < dueAt) return { outcome: { kind: 'not-yet', dueAt: new Date(dueAt) } };
      // R15: the survey comes before the close (a closed case gets no survey): when both are
      // due (the timers were down, or SURVEY_DELAY is longer), the close waits for the survey
      if (state.survey?.cycle !== cycle) {
        const surveyDue = Date.parse(state.resolution.at) + s.surveyDelayMs;
        return { outcome: { kind: 'not-yet', dueAt: new Date(Math.max(surveyDue, now.getTime() + 1_000)) } };
      }
      return { command: { type: 'CloseCase', caseId, actor: AUTO_CLOSER } };
    }
    case 'waiting-reminder':
    case 'waiting-auto-close': {
      const closing = timer.kind === 'waiting-auto-close';
      // a second scheduler, after the first resolved it: the cycle ended with that resolution
      if (closing && state.status === 'resolved' && state.resolution?.outcome === NO_CUSTOMER_ANSWER)
        return { outcome: { kind: 'already' } };
      const wait = state.status === 'awaiting-customer' ? state.pendingInfoRequest : undefined;
      if (!wait) return obsolete(`the case is ${state.status}: the customer answered`);
      if (wait.since !== timer.payload.waitingSince) return obsolete(`another wait, since ${wait.since}`);
      const days = s.waiting ?? DEFAULT_WAITING_DAYS;
      const due = waitingDueTimes(wait.since, days, s.sla.calendarOf(state.sla.terms));
      if (!closing) {
        if (wait.remindedAt !== undefined) return { outcome: { kind: 'already' } };
        if (now.getTime() < due.reminderAt.getTime()) return { outcome: { kind: 'not-yet', dueAt: due.reminderAt } };
        return { command: { type: 'RemindCustomer', caseId, actor: WAITING_TIMER, cycle } };
      }
      if (now.getTime() < due.autoCloseAt.getTime()) return { outcome: { kind: 'not-yet', dueAt: due.autoCloseAt } };
      // the reminder comes before the auto-close (when both are due at once: the timers were down)
      if (wait.remindedAt === undefined)
        return {
          outcome: { kind: 'not-yet', dueAt: new Date(Math.max(due.reminderAt.getTime(), now.getTime() + 1_000)) },
        };
      return {
        command: {
          type: 'ResolveCase',
          caseId,
          actor: WAITING_TIMER,
          outcome: NO_CUSTOMER_ANSWER,
          summary: unansweredSummary(wait.since, wait.items, days.autoCloseDays),
        },
      };
    }
  }
};

/** R11: the recorded reason of a resolution for want of an answer (shown to the customer with the outcome). */
export const unansweredSummary = (since: string, items: readonly string[], autoCloseDays: number): string =>
  `Resolved for want of an answer: the information requested on ${since.slice(0, 10)} (${items.join(', ')}) ` +
  `had no answer within ${autoCloseDays} business ${autoCloseDays === 1 ? 'day' : 'days'}. ` +
  'A reply on the case reopens it.';
