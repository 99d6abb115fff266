import { SLA_CLOCKS, type CaseState, type SlaClock, type SlaReport } from '@app/case-domain';

export const TIMER_KINDS = ['sla-breach', 'send-survey', 'auto-close'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** What the timer acts on; the firing reads the case again before it acts. */
export interface TimerPayload {
  readonly caseId: string;
  readonly cycle: number;
  /** sla-breach only */
  readonly clock?: SlaClock;
}

export interface PlannedTimer {
  /** one id per thing that happens once: `<kind>:<case>:<cycle>[:<clock>]` */
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
}

export const timerId = (kind: TimerKind, caseId: string, cycle: number, clock?: SlaClock): string =>
  [kind, caseId, cycle, ...(clock ? [clock] : [])].join(':');

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
  return timers;
};
