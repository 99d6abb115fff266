import { businessTimeBetween, firstResponseDue, type Calendar, type SlaPolicy } from '@app/business-time';
import type { CaseEvent, CaseStatus, Instant, Outcome, Priority } from '@app/case-domain';

/**
 * The facts the supervisors' reports aggregate (docs/metrics.md), folded per case from its
 * events. Pure: time comes from the events, business time from the case's calendar, so a
 * rebuild gives exactly the rows the live projection wrote (with the same calendars).
 */

/** `report_cases`: one per case. */
export interface ReportCase {
  readonly caseId: string;
  readonly tenant: string;
  readonly language: string;
  /** now */
  readonly priority: Priority;
  readonly openedPriority: Priority;
  /** the vendor of the latest `Routed`; null before routing, or when no vendor speaks the language */
  readonly vendorId: string | null;
  /** the calendar that measures the case (Opened's SLA terms), null: the default calendar */
  readonly calendarId: string | null;
  readonly openedAt: Instant;
  readonly status: CaseStatus;
  readonly cycle: number;
  readonly escalations: number;
  /** the number of status spans so far: the open one's `seq` */
  readonly spanSeq: number;
  /** the number of waits on the customer so far: the open one's `seq` */
  readonly waitSeq: number;
  /** the current cycle's first-response due time (see {@link ReportCycle.firstResponseDueAt}) */
  readonly firstResponseDueAt: Instant | null;
  /** stream version of the latest event folded in: the idempotency guard */
  readonly version: number;
}

/** `report_cycles`: one per resolution cycle (R15: a reopen starts a new one). */
export interface ReportCycle {
  readonly caseId: string;
  readonly cycle: number;
  readonly tenant: string;
  readonly language: string;
  /**
   * The grouping of the cycle ({@link CYCLE_GROUPING}): while its first-response clock is
   * undecided, the case's; then frozen when it was decided: at the stop (the first response,
   * or the resolution if none came first) when in time, else at the moment it became overdue.
   */
  readonly priority: Priority;
  readonly vendorId: string | null;
  readonly startedAt: Instant;
  readonly firstResponseAt: Instant | null;
  /** R10: from the cycle's start to the first response, in business minutes of the case's calendar */
  readonly firstResponseMinutes: number | null;
  /**
   * The cycle's own due time: `firstResponseDue(startedAt, priority in force)` in the case's
   * calendar (the computation of the opening's terms, @app/business-time), for the opening
   * and every reopening alike; recomputed when the priority changes while the clock runs.
   */
  readonly firstResponseDueAt: Instant | null;
  /** the first-response clock's stop: the first response, or the resolution if it came first */
  readonly firstResponseStoppedAt: Instant | null;
  /**
   * Decided breached: a `SlaBreached` of the first-response clock was recorded, or the due
   * time passed before the clock stopped (seen at the stop or at any later event of the case).
   * A cycle still running past its due time with no later event is breached by the report's
   * query (at its as-of time).
   */
  readonly firstResponseBreached: boolean;
  readonly resolutionBreached: boolean;
  readonly resolvedAt: Instant | null;
  readonly outcome: Outcome | null;
  readonly reopenedAt: Instant | null;
  readonly escalations: number;
  readonly surveySentAt: Instant | null;
  readonly surveyAnsweredAt: Instant | null;
  readonly rating: number | null;
}

/** `report_status_spans`: intervals of constant status, priority and vendor (for the backlog at any moment). */
export interface StatusSpan {
  readonly caseId: string;
  readonly seq: number;
  readonly status: CaseStatus;
  readonly priority: Priority;
  readonly vendorId: string | null;
  readonly tenant: string;
  readonly language: string;
  readonly openedAt: Instant;
  readonly startedAt: Instant;
  readonly endedAt: Instant | null;
}

/** `report_waits`: a wait on the customer (R11), from the information request to the answer. */
export interface CustomerWait {
  readonly caseId: string;
  readonly seq: number;
  readonly tenant: string;
  readonly language: string;
  readonly priority: Priority;
  readonly vendorId: string | null;
  readonly startedAt: Instant;
  readonly endedAt: Instant | null;
  /** what ended it: the customer's answer, or a resolution or closing while waiting */
  readonly endedBy: 'customer' | 'resolved' | 'closed' | null;
}

/** `report_credits`: R14, at most one per case. */
export interface IssuedCredit {
  readonly caseId: string;
  readonly issuedAt: Instant;
  readonly amount: number;
  readonly currency: string;
  readonly tenant: string;
  readonly language: string;
  readonly priority: Priority;
  readonly vendorId: string | null;
}

/** Everything of one case the fold may change; `changed` says which rows to write back. */
export interface CaseReport {
  readonly case: ReportCase;
  readonly cycles: ReadonlyMap<number, ReportCycle>;
  /** the open span (the case's current state); null once closed */
  readonly span: StatusSpan | null;
  /** the open wait, if the case waits on the customer */
  readonly wait: CustomerWait | null;
  readonly credit: IssuedCredit | null;
}

/** Rows a fold changed, to write back (by key). */
export interface ReportChanges {
  readonly cycles: Map<string, ReportCycle>;
  readonly spans: Map<string, StatusSpan>;
  readonly waits: Map<string, CustomerWait>;
  readonly credits: Map<string, IssuedCredit>;
}

export const emptyChanges = (): ReportChanges => ({
  cycles: new Map(),
  spans: new Map(),
  waits: new Map(),
  credits: new Map(),
});

/** The calendar measuring a case: its own (by id) or the default. */
export type CalendarOf = (calendarId: string | null) => Calendar;

/** What the fold measures with: each case's calendar and the SLA policy's targets (@app/sla's files). */
export interface ReportSla {
  readonly calendarOf: CalendarOf;
  readonly policy: SlaPolicy;
}

/**
 * The one rule for the priority and vendor a resolution cycle is grouped under, stated in
 * every cycle report's definition (docs/metrics.md, "Grouping").
 */
export const CYCLE_GROUPING =
  'A resolution cycle is grouped under the priority and the vendor in force when its first-response clock was decided: at the clock’s stop (the first response, or the resolution if no response came first) when that was in time; otherwise at the moment the cycle became overdue (its due time passed, or an SlaBreached was recorded, whichever came first), so a breach is filed under the priority and vendor it happened under, whatever changed afterwards; while the clock still runs, the case’s current ones. Vendor (none) when the case was not routed.';

export type ReportInput = CaseEvent & { readonly streamVersion: number };

const keyOf = (caseId: string, n: number) => `${caseId}\u0000${n}`;

/**
 * Folds one event into a case's report facts, recording in `changes` the rows it touched.
 * Returns null for an event of a case never opened (a hole: the runner parks it).
 */
export const evolveCaseReport = (
  report: CaseReport | null,
  event: ReportInput,
  sla: ReportSla,
  changes: ReportChanges,
): CaseReport | null => {
  if (event.type === 'Opened') {
    if (report) return { ...report, case: { ...report.case, version: event.streamVersion } };
    return opened(event, sla, changes);
  }
  if (!report) return null;
  const fold = new Fold(report, event, sla, changes);
  fold.apply();
  return fold.result();
};

/** R10: when the first response of a cycle started at `startedAt` is due, at `priority`'s target. */
const dueOf = (sla: ReportSla, calendarId: string | null, startedAt: Instant, priority: Priority): Instant =>
  firstResponseDue(new Date(startedAt), priority, sla.policy, sla.calendarOf(calendarId)).toISOString();

const opened = (
  { data, streamVersion }: Extract<ReportInput, { type: 'Opened' }>,
  sla: ReportSla,
  changes: ReportChanges,
): CaseReport => {
  const calendarId = data.sla?.calendarId ?? null;
  const firstResponseDueAt = dueOf(sla, calendarId, data.at, data.priority);
  const c: ReportCase = {
    caseId: data.caseId,
    tenant: data.tenant,
    language: data.language.trim().toLowerCase(),
    priority: data.priority,
    openedPriority: data.priority,
    vendorId: null,
    calendarId,
    openedAt: data.at,
    status: 'open',
    cycle: 1,
    escalations: 0,
    spanSeq: 1,
    waitSeq: 0,
    firstResponseDueAt,
    version: streamVersion,
  };
  const cycle = newCycle(c, 1, data.at, firstResponseDueAt);
  const span = newSpan(c, 1, data.at);
  changes.cycles.set(keyOf(c.caseId, 1), cycle);
  changes.spans.set(keyOf(c.caseId, 1), span);
  return { case: c, cycles: new Map([[1, cycle]]), span, wait: null, credit: null };
};

const newCycle = (c: ReportCase, cycle: number, startedAt: Instant, due: Instant | null): ReportCycle => ({
  caseId: c.caseId,
  cycle,
  tenant: c.tenant,
  language: c.language,
  priority: c.priority,
  vendorId: c.vendorId,
  startedAt,
  firstResponseAt: null,
  firstResponseMinutes: null,
  firstResponseDueAt: due,
  firstResponseStoppedAt: null,
  firstResponseBreached: false,
  resolutionBreached: false,
  resolvedAt: null,
  outcome: null,
  reopenedAt: null,
  escalations: 0,
  surveySentAt: null,
  surveyAnsweredAt: null,
  rating: null,
});

const newSpan = (c: ReportCase, seq: number, at: Instant): StatusSpan => ({
  caseId: c.caseId,
  seq,
  status: c.status,
  priority: c.priority,
  vendorId: c.vendorId,
  tenant: c.tenant,
  language: c.language,
  openedAt: c.openedAt,
  startedAt: at,
  endedAt: null,
});

/** The first-response clock is decided: stopped (met unless breached before), or breached. */
const decided = (y: ReportCycle): boolean => y.firstResponseStoppedAt !== null || y.firstResponseBreached;
/** `dueAt` is the last instant within the target (docs/sla.md): one millisecond later is late. */
const overdue = (y: ReportCycle, at: Instant): boolean =>
  y.firstResponseDueAt !== null && Date.parse(at) > Date.parse(y.firstResponseDueAt);

/** One event's effect, written as steps on a working copy (every step records what it changed). */
class Fold {
  private c: ReportCase;
  private readonly cycles: Map<number, ReportCycle>;
  private span: StatusSpan | null;
  private wait: CustomerWait | null;
  private credit: IssuedCredit | null;
  private readonly at: Instant;

  constructor(
    report: CaseReport,
    private readonly event: ReportInput,
    private readonly sla: ReportSla,
    private readonly changes: ReportChanges,
  ) {
    this.c = { ...report.case, version: event.streamVersion };
    this.cycles = new Map(report.cycles);
    this.span = report.span;
    this.wait = report.wait;
    this.credit = report.credit;
    this.at = event.data.at;
  }

  result(): CaseReport {
    return { case: this.c, cycles: this.cycles, span: this.span, wait: this.wait, credit: this.credit };
  }

  apply(): void {
    const e = this.event;
    // the due time passed before this event: the cycle breached then, under what was in force then
    this.breachIfOverdue();
    switch (e.type) {
      case 'Routed':
        this.c = { ...this.c, vendorId: e.data.vendorId };
        this.whileClockRuns(() => ({ vendorId: e.data.vendorId }));
        return this.newSpanIfChanged();
      case 'PriorityChanged':
        this.c = { ...this.c, priority: e.data.to };
        // R9: the running clock is measured against the new priority's target, from the cycle's start
        this.whileClockRuns((y) => ({
          priority: e.data.to,
          firstResponseDueAt: dueOf(this.sla, this.c.calendarId, y.startedAt, e.data.to),
        }));
        // a P3 raised to P1 may be due at once: overdue now, under the new priority
        this.breachIfOverdue();
        return this.newSpanIfChanged();
      case 'AgentResponded':
        return this.responded(e.data.firstResponse);
      case 'InfoRequested':
        this.responded(e.data.firstResponse);
        if (this.c.status === 'open') {
          this.startWait();
          this.setStatus('awaiting-customer');
        }
        return;
      case 'InfoProvided':
      case 'CustomerReplied':
        if (this.c.status !== 'awaiting-customer') return;
        this.endWait('customer');
        return this.setStatus('open');
      case 'Escalated':
        this.c = { ...this.c, escalations: this.c.escalations + 1 };
        return this.updateCycle(this.c.cycle, (y) => ({ escalations: y.escalations + 1 }));
      case 'SlaBreached':
        // the recorded fact wins: breached, and decided now if it was not yet (grouping frozen)
        return this.updateCycle(e.data.cycle, (y) =>
          e.data.clock === 'first-response'
            ? { firstResponseBreached: true, firstResponseDueAt: y.firstResponseDueAt ?? e.data.dueAt }
            : { resolutionBreached: true },
        );
      case 'Resolved':
        this.endWait('resolved');
        // a resolution without any response stops the first-response clock too (docs/sla.md)
        this.updateCycle(this.c.cycle, (y) => ({
          resolvedAt: this.at,
          outcome: e.data.outcome,
          firstResponseStoppedAt: y.firstResponseStoppedAt ?? this.at,
        }));
        return this.setStatus('resolved');
      case 'Reopened':
        return this.reopened(e.data.cycle);
      case 'Closed':
        this.endWait('closed');
        return this.setStatus('closed');
      case 'CreditIssued':
        if (this.credit) return;
        this.credit = {
          caseId: this.c.caseId,
          issuedAt: this.at,
          amount: e.data.amount,
          currency: e.data.currency,
          tenant: this.c.tenant,
          language: this.c.language,
          priority: this.c.priority,
          vendorId: this.c.vendorId,
        };
        this.changes.credits.set(this.c.caseId, this.credit);
        return;
      case 'SurveySent':
        return this.updateCycle(e.data.cycle, () => ({ surveySentAt: this.at }));
      case 'SurveyAnswered':
        return this.updateCycle(e.data.cycle, (y) =>
          y.surveyAnsweredAt ? {} : { surveyAnsweredAt: this.at, rating: e.data.rating },
        );
      default:
        return;
    }
  }

  /** R10: the first response of the cycle stops its clock; its length is in business minutes. */
  private responded(firstResponse: boolean): void {
    const cycle = this.cycles.get(this.c.cycle);
    if (!cycle || cycle.firstResponseAt !== null || !firstResponse) return;
    const ms = businessTimeBetween(
      new Date(cycle.startedAt),
      new Date(this.at),
      this.sla.calendarOf(this.c.calendarId),
    );
    // a response after the due time was already judged breached by breachIfOverdue
    this.updateCycle(this.c.cycle, (y) => ({
      firstResponseAt: this.at,
      firstResponseMinutes: Math.round(ms / 60) / 1000,
      firstResponseStoppedAt: y.firstResponseStoppedAt ?? this.at,
    }));
  }

  /** R15: a new cycle, with a new first-response clock: due at the target of the priority in force, from the reopening. */
  private reopened(cycle: number): void {
    this.updateCycle(this.c.cycle, () => ({ reopenedAt: this.at }));
    const due = dueOf(this.sla, this.c.calendarId, this.at, this.c.priority);
    this.c = { ...this.c, cycle, firstResponseDueAt: due };
    const started = newCycle(this.c, cycle, this.at, due);
    this.cycles.set(cycle, started);
    this.changes.cycles.set(keyOf(this.c.caseId, cycle), started);
    this.setStatus('open');
  }

  /** The current cycle's priority, vendor and due time follow the case until its first-response clock is decided. */
  private whileClockRuns(
    patch: (cycle: ReportCycle) => Partial<Pick<ReportCycle, 'priority' | 'vendorId' | 'firstResponseDueAt'>>,
  ): void {
    const cycle = this.cycles.get(this.c.cycle);
    if (cycle && !decided(cycle)) {
      this.updateCycle(this.c.cycle, patch);
      const due = this.cycles.get(this.c.cycle)?.firstResponseDueAt ?? null;
      if (due !== this.c.firstResponseDueAt) this.c = { ...this.c, firstResponseDueAt: due };
    }
  }

  /** An undecided current cycle whose due time is before this event's time breached (at its due time). */
  private breachIfOverdue(): void {
    const cycle = this.cycles.get(this.c.cycle);
    if (cycle && !decided(cycle) && overdue(cycle, this.at))
      this.updateCycle(this.c.cycle, () => ({ firstResponseBreached: true }));
  }

  private updateCycle(n: number, patch: (cycle: ReportCycle) => Partial<ReportCycle>): void {
    const cycle = this.cycles.get(n);
    if (!cycle) return; // a cycle this case never had: nothing to count
    const next = { ...cycle, ...patch(cycle) };
    this.cycles.set(n, next);
    this.changes.cycles.set(keyOf(this.c.caseId, n), next);
  }

  private setStatus(status: CaseStatus): void {
    if (this.c.status === status) return;
    this.c = { ...this.c, status };
    this.newSpanIfChanged();
  }

  /** Ends the open span and opens one for the case as it now is (none once it is closed). */
  private newSpanIfChanged(): void {
    const s = this.span;
    const c = this.c;
    if (s && s.status === c.status && s.priority === c.priority && s.vendorId === c.vendorId) return;
    if (s) this.changes.spans.set(keyOf(c.caseId, s.seq), { ...s, endedAt: this.at });
    if (c.status === 'closed') {
      this.span = null;
      return;
    }
    const seq = c.spanSeq + 1;
    this.c = { ...c, spanSeq: seq };
    this.span = newSpan(this.c, seq, this.at);
    this.changes.spans.set(keyOf(c.caseId, seq), this.span);
  }

  private startWait(): void {
    const seq = this.c.waitSeq + 1;
    this.c = { ...this.c, waitSeq: seq };
    this.wait = {
      caseId: this.c.caseId,
      seq,
      tenant: this.c.tenant,
      language: this.c.language,
      priority: this.c.priority,
      vendorId: this.c.vendorId,
      startedAt: this.at,
      endedAt: null,
      endedBy: null,
    };
    this.changes.waits.set(keyOf(this.c.caseId, seq), this.wait);
  }

  private endWait(endedBy: NonNullable<CustomerWait['endedBy']>): void {
    if (!this.wait) return;
    this.changes.waits.set(keyOf(this.c.caseId, this.wait.seq), { ...this.wait, endedAt: this.at, endedBy });
    this.wait = null;
  }
}
