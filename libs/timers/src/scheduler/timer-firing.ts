import { createHash } from 'node:crypto';
import {
  caseDecider,
  DomainRuleViolation,
  foldEvents,
  SURVEY_SENDER,
  surveyIdFor,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type OpenedCase,
} from '@app/case-domain';
import { ExpectedVersionConflict, type EventStore } from '@app/event-store';
import type { SlaService } from '@app/sla';
import type { ClaimedTimer } from '../store/timer-table';

/** The system actors of the timers (recorded as `byId` and in the metadata). */
export const SLA_TIMER: Actor = Object.freeze({ id: 'system:sla-timer', role: 'system' });
export const AUTO_CLOSER: Actor = Object.freeze({ id: 'system:auto-close', role: 'system' });

export interface FiringSettings {
  readonly sla: SlaService;
  readonly surveyDelayMs: number;
  readonly autoCloseMs: number;
  readonly autoEscalateOnBreach: boolean;
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
 * Fires one timer: reads the case, decides whether the timer still stands (the stored due
 * time may be stale: the indexer lags the log), and appends the command's events with the
 * version it read as the expected version. Exactly once per timer, even with two
 * schedulers: a concurrent writer makes the append fail (`ExpectedVersionConflict`) and the
 * next attempt decides on the new state, where the command changes nothing (a breach is
 * recorded once per clock and cycle, a survey once per cycle, a close once); and the
 * events' ids are derived from the timer id, so the very same append twice is stored once.
 */
export const fireTimer = async (
  timer: ClaimedTimer,
  store: EventStore,
  settings: FiringSettings,
  now: () => Date,
): Promise<FireOutcome> => {
  for (let attempt = 1; ; attempt++) {
    const { events, currentVersion } = await store.readStream(timer.streamId);
    const state = foldEvents(caseDecider, events as unknown as CaseEvent[]);
    if (state.status === 'not-opened') return { kind: 'obsolete', reason: 'no such case' };
    const at = now();
    const step = decideFiring(timer, state, at, settings);
    if ('outcome' in step) return step.outcome;
    let decided: CaseEvent[];
    try {
      decided = caseDecider.decide(state, step.command, at);
    } catch (error) {
      if (error instanceof DomainRuleViolation) return { kind: 'obsolete', reason: error.code };
      throw error;
    }
    if (decided.length === 0) return { kind: 'already' };
    const metadata = {
      actor: step.command.actor,
      tenant: state.tenant,
      correlationId: `timer:${timer.id}`,
      causationId: timer.id,
    };
    try {
      const appended = await store.appendToStream(
        timer.streamId,
        decided.map((e, i) => ({ ...e, eventId: timerEventId(timer.id, i), metadata })),
        currentVersion,
      );
      return appended.duplicate ? { kind: 'already' } : { kind: 'recorded', events: decided.map((e) => e.type) };
    } catch (error) {
      // another writer moved the case: decide again on what it wrote (bounded)
      if (error instanceof ExpectedVersionConflict && attempt < 5) continue;
      throw error;
    }
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
  }
};

/** A UUID (RFC 9562 version 8, from SHA-256) derived from the timer id and the event's index. */
export const timerEventId = (timerId: string, index: number): string => {
  const h = createHash('sha256').update(`timer:${timerId}:${index}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
