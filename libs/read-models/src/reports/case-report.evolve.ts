import { businessTimeBetween, type Calendar } from '@app/business-time';
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
  /** while the first-response clock runs, the case's; then frozen at the response or the breach */
  readonly priority: Priority;
  readonly vendorId: string | null;
  readonly startedAt: Instant;
  readonly firstResponseAt: Instant | null;
  /** R10: from the cycle's start to the first response, in business minutes of the case's calendar */
  readonly firstResponseMinutes: number | null;
  readonly firstResponseDueAt: Instant | null;
  /** a `SlaBreached` of the first-response clock, or a response after the known due time */
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

export type ReportInput = CaseEvent & { readonly streamVersion: number };

const keyOf = (caseId: string, n: number) => `${caseId}\u0000${n}`;

/**
 * Folds one event into a case's report facts, recording in `changes` the rows it touched.
 * Returns null for an event of a case never opened (a hole: the runner parks it).
 */
export const evolveCaseReport = (
  report: CaseReport | null,
  event: ReportInput,
  calendarOf: CalendarOf,
  changes: ReportChanges,
): CaseReport | null => {
  if (event.type === 'Opened') {
    if (report) return { ...report, case: { ...report.case, version: event.streamVersion } };
    return opened(event, changes);
  }
  if (!report) return null;
  const fold = new Fold(report, event, calendarOf, changes);
  fold.apply();
  return fold.result();
};

const opened = (
  { data, streamVersion }: Extract<ReportInput, { type: 'Opened' }>,
  changes: ReportChanges,
): CaseReport => {
  const c: ReportCase = {
    caseId: data.caseId,
    tenant: data.tenant,
    language: data.language.trim().toLowerCase(),
    priority: data.priority,
    openedPriority: data.priority,
    vendorId: null,
    calendarId: data.sla?.calendarId ?? null,
    openedAt: data.at,
    status: 'open',
    cycle: 1,
    escalations: 0,
    spanSeq: 1,
    waitSeq: 0,
    firstResponseDueAt: data.sla?.firstResponseDueAt ?? null,
    version: streamVersion,
  };
  const cycle = newCycle(c, 1, data.at, c.firstResponseDueAt);
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
    private readonly calendarOf: CalendarOf,
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
    switch (e.type) {
      case 'Routed':
        this.c = { ...this.c, vendorId: e.data.vendorId };
        this.whileClockRuns({ vendorId: e.data.vendorId });
        return this.newSpanIfChanged();
      case 'PriorityChanged':
        this.c = { ...this.c, priority: e.data.to };
        this.whileClockRuns({ priority: e.data.to });
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
        return this.updateCycle(e.data.cycle, (y) =>
          e.data.clock === 'first-response'
            ? {
                firstResponseBreached: true,
                firstResponseDueAt: y.firstResponseDueAt ?? e.data.dueAt,
                priority: y.firstResponseAt ? y.priority : e.data.priority,
              }
            : { resolutionBreached: true },
        );
      case 'Resolved':
        this.endWait('resolved');
        this.updateCycle(this.c.cycle, () => ({ resolvedAt: this.at, outcome: e.data.outcome }));
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
    const ms = businessTimeBetween(new Date(cycle.startedAt), new Date(this.at), this.calendarOf(this.c.calendarId));
    const late = cycle.firstResponseDueAt !== null && Date.parse(this.at) > Date.parse(cycle.firstResponseDueAt);
    this.updateCycle(this.c.cycle, (y) => ({
      firstResponseAt: this.at,
      firstResponseMinutes: Math.round(ms / 60) / 1000,
      firstResponseBreached: y.firstResponseBreached || late,
    }));
  }

  private reopened(cycle: number): void {
    this.updateCycle(this.c.cycle, () => ({ reopenedAt: this.at }));
    this.c = { ...this.c, cycle, firstResponseDueAt: null };
    const started = newCycle(this.c, cycle, this.at, null);
    this.cycles.set(cycle, started);
    this.changes.cycles.set(keyOf(this.c.caseId, cycle), started);
    this.setStatus('open');
  }

  /** The cycle's priority and vendor follow the case until its first-response clock stops. */
  private whileClockRuns(patch: Partial<Pick<ReportCycle, 'priority' | 'vendorId'>>): void {
    const cycle = this.cycles.get(this.c.cycle);
    if (cycle && cycle.firstResponseAt === null && !cycle.firstResponseBreached)
      this.updateCycle(this.c.cycle, () => patch);
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
