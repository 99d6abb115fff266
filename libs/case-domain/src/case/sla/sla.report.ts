import {
  addBusinessTime,
  businessTimeBetween,
  firstResponseTarget,
  resolutionTarget,
  type Calendar,
  type SlaPolicy,
} from '@app/business-time';
import type { CaseEvent } from '../case.events';
import { evolve } from '../case.evolve';
import { initialCaseState, type CaseState } from '../case.state';
import type { Instant, Priority, SlaClockState, SlaTerms } from '../case.types';
import type { CustomerWait, RecordedBreach, SlaCycleFacts, SlaFacts } from './sla.facts';

/** One clock of one cycle, as GET /v1/cases/{id} shows it. */
export interface SlaClockFigures {
  readonly state: SlaClockState;
  /** business time the clock has run so far, in ms (time waiting on the customer excluded) */
  readonly usedMs: number;
  /** the target of the case's priority (at the stop, or now), in ms; absent when the policy sets none */
  readonly targetMs?: number;
  /** business time left within the target (0 once breached) */
  readonly remainingMs?: number;
  /** the last instant within the target; absent while paused within it (it moves on resuming) */
  readonly dueAt?: Instant;
  readonly stoppedAt?: Instant;
  /** when breached: whether a SlaBreached event records it (false: the scheduler has not yet) */
  readonly breachRecorded?: boolean;
}

export interface SlaCycleFigures {
  readonly cycle: number;
  readonly startedAt: Instant;
  readonly resolvedAt?: Instant;
  readonly firstResponse: SlaClockFigures;
  readonly resolution: SlaClockFigures;
  /** business time this cycle waited on the customer, in ms */
  readonly waitingOnCustomerMs: number;
}

/** Every SLA figure of a case: a function of its events, the calendar and the policy, and `now`. */
export interface SlaReport {
  /** as recorded in `Opened` (absent for a case opened before SLAs were recorded) */
  readonly terms?: SlaTerms;
  /** what these figures were computed with (the terms say what the case opened with) */
  readonly computedWith: {
    readonly calendarId: string;
    readonly calendarVersion: number | string;
    readonly policyVersion: number | string;
  };
  readonly cycle: number;
  /** the current cycle's clocks */
  readonly firstResponse: SlaClockFigures;
  readonly resolution: SlaClockFigures;
  /** R11: the whole case's time waiting on the customer */
  readonly waitingOnCustomer: {
    readonly businessMs: number;
    readonly elapsedMs: number;
    readonly count: number;
    /** the open wait's start, while the case awaits the customer */
    readonly since?: Instant;
  };
  /** every cycle, in order; an ended cycle's figures never change (R15) */
  readonly cycles: readonly SlaCycleFigures[];
}

/**
 * R10: the SLA figures of a case from its events. Pure: replaying the same history with the
 * same calendar version, policy version and `now` gives the same figures.
 */
export const slaOf = (
  events: readonly CaseEvent[],
  calendar: Calendar,
  policy: SlaPolicy,
  now: Date,
): SlaReport | null => slaReport(events.reduce(evolve, initialCaseState), calendar, policy, now);

/** The same figures from a folded state (its `sla` facts), for callers that hold the state. */
export const slaReport = (state: CaseState, calendar: Calendar, policy: SlaPolicy, now: Date): SlaReport | null => {
  if (state.status === 'not-opened') return null;
  const facts = state.sla;
  const t = now.getTime();
  const cycles = facts.cycles.map((c) => cycleFigures(facts, c, calendar, policy, t));
  const current = cycles.find((c) => c.cycle === state.cycle) ?? cycles[cycles.length - 1];
  const open = facts.waits.find((w) => w.until === undefined);
  return {
    ...(facts.terms === undefined ? {} : { terms: facts.terms }),
    computedWith: { calendarId: calendar.id, calendarVersion: calendar.version, policyVersion: policy.version },
    cycle: state.cycle,
    firstResponse: current.firstResponse,
    resolution: current.resolution,
    waitingOnCustomer: {
      businessMs: sum(facts.waits.map((w) => waitBusinessMs(w, calendar, t))),
      elapsedMs: sum(facts.waits.map((w) => Math.max(0, end(w, t) - ms(w.since)))),
      count: facts.waits.length,
      ...(open === undefined ? {} : { since: open.since }),
    },
    cycles,
  };
};

interface Segment {
  readonly start: number;
  /** undefined: still running */
  readonly end?: number;
}

const cycleFigures = (facts: SlaFacts, c: SlaCycleFacts, calendar: Calendar, policy: SlaPolicy, now: number) => {
  const waits = facts.waits.filter((w) => w.cycle === c.cycle);
  const firstStop = c.firstResponseAt ?? c.resolvedAt;
  const at = (stop: Instant | undefined) => priorityAt(facts, stop === undefined ? now : ms(stop));
  const breach = (clock: string) => c.breaches.find((b) => b.clock === clock);
  return {
    cycle: c.cycle,
    startedAt: c.startedAt,
    ...(c.resolvedAt === undefined ? {} : { resolvedAt: c.resolvedAt }),
    firstResponse: clockFigures(
      c.startedAt,
      firstStop,
      waits,
      firstResponseTarget(policy, at(firstStop), calendar),
      breach('first-response'),
      calendar,
      now,
    ),
    resolution: clockFigures(
      c.startedAt,
      c.resolvedAt,
      waits,
      resolutionTarget(policy, at(c.resolvedAt), calendar),
      breach('resolution'),
      calendar,
      now,
    ),
    waitingOnCustomerMs: sum(waits.map((w) => waitBusinessMs(w, calendar, now))),
  };
};

const clockFigures = (
  startedAt: Instant,
  stoppedAt: Instant | undefined,
  waits: readonly CustomerWait[],
  target: number | undefined,
  recorded: RecordedBreach | undefined,
  calendar: Calendar,
  now: number,
): SlaClockFigures => {
  const stop = stoppedAt === undefined ? undefined : ms(stoppedAt);
  // the clock runs from the cycle's start to its stop, except while waiting on the customer
  const segments: Segment[] = [];
  let from: number | undefined = ms(startedAt);
  for (const w of waits) {
    if (from === undefined || (stop !== undefined && ms(w.since) >= stop)) break;
    segments.push({ start: from, end: Math.max(from, ms(w.since)) });
    from = w.until === undefined ? undefined : Math.max(from, ms(w.until));
  }
  const paused = from === undefined;
  if (from !== undefined) segments.push({ start: from, end: stop });
  const lengths = segments.map((s) => businessTimeBetween(new Date(s.start), new Date(s.end ?? now), calendar));
  const usedMs = sum(lengths);
  const stopped = stop === undefined ? {} : { stoppedAt: stoppedAt };
  if (recorded !== undefined && target === undefined)
    return { state: 'breached', usedMs, dueAt: recorded.dueAt, ...stopped, breachRecorded: true };
  if (target === undefined)
    return { state: stop !== undefined ? 'met' : paused ? 'paused' : 'running', usedMs, ...stopped };
  // the instant the target runs out: inside the segment where it is crossed, or, while the
  // clock runs (or for a stopped clock, had it run on), `target - before` after the last start
  let before = 0;
  let dueAt: Date | undefined;
  for (const [i, s] of segments.entries()) {
    const last = i === segments.length - 1;
    if (before + lengths[i] > target || (last && !paused)) {
      dueAt = addBusinessTime(new Date(s.start), target - before, calendar);
      break;
    }
    before += lengths[i];
  }
  const breached = recorded !== undefined || usedMs > target;
  const state: SlaClockState = breached ? 'breached' : stop !== undefined ? 'met' : paused ? 'paused' : 'running';
  const due = recorded?.dueAt ?? dueAt?.toISOString();
  return {
    state,
    usedMs,
    targetMs: target,
    remainingMs: Math.max(0, target - usedMs),
    ...(due === undefined ? {} : { dueAt: due }),
    ...stopped,
    ...(breached ? { breachRecorded: recorded !== undefined } : {}),
  };
};

const priorityAt = (facts: SlaFacts, at: number): Priority => {
  let priority = facts.priorities[0].priority;
  for (const p of facts.priorities) if (ms(p.from) <= at) priority = p.priority;
  return priority;
};

const waitBusinessMs = (w: CustomerWait, calendar: Calendar, now: number) =>
  businessTimeBetween(new Date(w.since), new Date(end(w, now)), calendar);
const end = (w: CustomerWait, now: number) => (w.until === undefined ? now : ms(w.until));
const ms = (at: Instant) => Date.parse(at);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
