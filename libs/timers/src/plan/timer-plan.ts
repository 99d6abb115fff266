import { addBusinessTime, businessDays, type Calendar } from '@app/business-time';
import { SLA_CLOCKS, type CaseState, type OpenedCase, type SlaClock, type SlaReport } from '@app/case-domain';

export const TIMER_KINDS = [
  'sla-breach',
  'send-survey',
  'auto-close',
  'waiting-reminder',
  'waiting-auto-close',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** What the timer acts on; the firing reads the case again before it acts. */
export interface TimerPayload {
  readonly caseId: string;
  readonly cycle: number;
  /** sla-breach only */
  readonly clock?: SlaClock;
  /** waiting-reminder and waiting-auto-close: the start of the wait they are for (`pendingInfoRequest.since`) */
  readonly waitingSince?: string;
}

export interface PlannedTimer {
  /** one id per thing that happens once: `<kind>:<case>:<cycle>[:<clock> | :<the wait's start>]` */
  readonly id: string;
  readonly kind: TimerKind;
  readonly dueAt: Date;
  readonly payload: TimerPayload;
}

export interface TimerPlanSettings {
  /** R15: the survey goes out this long after the resolution */
  readonly surveyDelayMs: number;
  /** R15: a resolved case left alone is closed this long after the resolution */
  readonly autoCloseMs: number;
  /** the case's SLA figures (`SlaService.report`); undefined for a case without SLA terms */
  readonly slaReport: (state: CaseState) => SlaReport | undefined;
  /** R11: the waiting timers; none are planned without it */
  readonly waiting?: WaitingSettings;
}

/** R11: how long a case waits on the customer before the reminder and the auto-close, in business days. */
export interface WaitingDays {
  /** WAITING_REMINDER */
  readonly reminderDays: number;
  /** WAITING_AUTO_CLOSE */
  readonly autoCloseDays: number;
}

/** the defaults of WAITING_REMINDER and WAITING_AUTO_CLOSE (libs/config) */
export const DEFAULT_WAITING_DAYS: WaitingDays = Object.freeze({ reminderDays: 3, autoCloseDays: 10 });

export interface WaitingSettings extends WaitingDays {
  /**
   * the calendar the case's business days are counted on: the one its SLA terms name
   * (`SlaService.calendarOf`), the policy's default calendar for a case without terms
   */
  readonly calendarOf: (state: OpenedCase) => Calendar;
}

/**
 * R11: when the wait that began at `since` is due its reminder and its auto-close: that many
 * business days of the calendar later (`businessDays` × the calendar's business day, added in
 * business time: a wait begun on Friday at 16:00 in Paris is 3 business days old on
 * Wednesday at 16:00). Pure; the plan and the firing compute it alike.
 */
export const waitingDueTimes = (
  since: string,
  days: WaitingDays,
  calendar: Calendar,
): { readonly reminderAt: Date; readonly autoCloseAt: Date } => {
  const start = new Date(since);
  return {
    reminderAt: addBusinessTime(start, businessDays(days.reminderDays, calendar), calendar),
    autoCloseAt: addBusinessTime(start, businessDays(days.autoCloseDays, calendar), calendar),
  };
};

/** `part`: the clock of an `sla-breach`, the wait's start of a waiting timer */
export const timerId = (kind: TimerKind, caseId: string, cycle: number, part?: string): string =>
  [kind, caseId, cycle, ...(part ? [part] : [])].join(':');

/**
 * The timers a case needs now, as a pure function of its state: what the indexer writes to
 * the `timers` table after each of its events. A timer the plan no longer lists (the clock
 * stopped or paused, the case was reopened) is cancelled; one whose due time moved (the
 * customer answered, the priority changed) is moved.
 *
 * - `sla-breach`, per clock of the current cycle that is still running (or stopped late,
 *   breached but not yet recorded): due 1 ms after the clock's `dueAt`, the first instant
 *   it is over its target (an answer at `dueAt` exactly is on time).
 * - `send-survey` and `auto-close`, while the case is resolved: after the configured delays.
 * - `waiting-reminder` (until the wait's reminder is recorded) and `waiting-auto-close`, while
 *   the case awaits the customer (R11): WAITING_REMINDER and WAITING_AUTO_CLOSE business days
 *   after the wait's start (`waitingDueTimes`), one pair per wait (its start is in the id). The
 *   customer's answer ends the wait, so both are cancelled with it.
 */
export const plannedTimers = (state: CaseState, settings: TimerPlanSettings): PlannedTimer[] => {
  if (state.status === 'not-opened' || state.status === 'closed') return [];
  const { id: caseId, cycle } = state;
  const timers: PlannedTimer[] = [];
  const report = settings.slaReport(state);
  const figures = report?.cycles.find((c) => c.cycle === cycle);
  for (const clock of SLA_CLOCKS) {
    const f = figures && (clock === 'first-response' ? figures.firstResponse : figures.resolution);
    const pending = f?.state === 'running' || (f?.state === 'breached' && !f.breachRecorded);
    if (!f || !pending || f.dueAt === undefined) continue;
    timers.push({
      id: timerId('sla-breach', caseId, cycle, clock),
      kind: 'sla-breach',
      dueAt: new Date(Date.parse(f.dueAt) + 1),
      payload: { caseId, cycle, clock },
    });
  }
  const resolvedAt = state.status === 'resolved' ? state.resolution?.at : undefined;
  if (resolvedAt !== undefined) {
    const resolved = Date.parse(resolvedAt);
    if (state.survey?.cycle !== cycle) {
      const dueAt = new Date(resolved + settings.surveyDelayMs);
      timers.push({
        id: timerId('send-survey', caseId, cycle),
        kind: 'send-survey',
        dueAt,
        payload: { caseId, cycle },
      });
    }
    const dueAt = new Date(resolved + settings.autoCloseMs);
    timers.push({ id: timerId('auto-close', caseId, cycle), kind: 'auto-close', dueAt, payload: { caseId, cycle } });
  }
  const wait = state.status === 'awaiting-customer' ? state.pendingInfoRequest : undefined;
  if (wait && settings.waiting) {
    const { since: waitingSince } = wait;
    const due = waitingDueTimes(waitingSince, settings.waiting, settings.waiting.calendarOf(state));
    const payload = { caseId, cycle, waitingSince };
    if (wait.remindedAt === undefined) {
      const id = timerId('waiting-reminder', caseId, cycle, waitingSince);
      timers.push({ id, kind: 'waiting-reminder', dueAt: due.reminderAt, payload });
    }
    const id = timerId('waiting-auto-close', caseId, cycle, waitingSince);
    timers.push({ id, kind: 'waiting-auto-close', dueAt: due.autoCloseAt, payload });
  }
  return timers;
};
