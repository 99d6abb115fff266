import {
  addBusinessTime,
  calendarIdForRegion,
  firstResponseDue,
  firstResponseTarget,
  loadCalendars,
  loadSlaPolicy,
  regionForTenant,
  type Calendar,
  type SlaPolicy,
} from '@app/business-time';
import {
  slaReport,
  type CaseState,
  type CycleSlaTerms,
  type Priority,
  type SlaReport,
  type SlaTerms,
} from '@app/case-domain';

export interface SlaFiles {
  /** a directory of `<id>.json` calendars (CALENDARS_DIR) */
  readonly calendarsDir: string;
  /** the SLA policy file (SLA_POLICY_FILE) */
  readonly policyFile: string;
}

/** What a new case is measured with (R10). */
export interface SlaTermsRequest {
  /** the customer organisation: the policy's `regionByTenant` may place it in a region */
  readonly tenant: string;
  /** the customer's region when the caller knows it (tokens carry none today) */
  readonly region?: string;
  readonly priority: Priority;
  readonly openedAt: Date;
}

/**
 * The calendars and the SLA policy, loaded once at start, and the two things the shells
 * need from them: the terms a new case is measured with, and a case's SLA figures. The
 * arithmetic stays in @app/business-time and the rules in @app/case-domain (`slaReport`).
 */
export class SlaService {
  constructor(
    readonly calendars: ReadonlyMap<string, Calendar>,
    readonly policy: SlaPolicy,
  ) {}

  /** Reads and validates the files; a bad file throws one line naming it and the fault. */
  static load({ calendarsDir, policyFile }: SlaFiles): SlaService {
    const calendars = loadCalendars(calendarsDir);
    return new SlaService(calendars, loadSlaPolicy(policyFile, calendars));
  }

  /**
   * R10: the terms recorded in `Opened`. The calendar is the one of the customer's region:
   * the region given, else the policy's region for the tenant; a region the policy does
   * not map (or none) gets the policy's default calendar.
   */
  termsFor({ tenant, region, priority, openedAt }: SlaTermsRequest): SlaTerms {
    const customerRegion = region ?? regionForTenant(this.policy, tenant);
    const calendar = this.calendar(calendarIdForRegion(this.policy, customerRegion));
    const target = firstResponseTarget(this.policy, priority, calendar);
    return {
      calendarId: calendar.id,
      calendarVersion: calendar.version,
      policyVersion: this.policy.version,
      ...(customerRegion === undefined ? {} : { region: customerRegion }),
      firstResponseTargetMs: target,
      firstResponseDueAt: addBusinessTime(openedAt, target, calendar).toISOString(),
    };
  }

  /**
   * R10, R15: the first-response terms of the cycle a reopen at `at` starts, recorded in
   * `Reopened.sla`: the target of the priority in force, from the reopen, in business time
   * of the calendar fixed at opening (`firstResponseDue`, as the reports compute every
   * cycle's due time; `slaReport` gives the same). Undefined for a case opened without SLA terms.
   */
  cycleTermsFor(state: CaseState, at: Date): CycleSlaTerms | undefined {
    if (state.status === 'not-opened' || state.sla.terms === undefined) return undefined;
    const calendar = this.calendarOf(state.sla.terms);
    return {
      firstResponseTargetMs: firstResponseTarget(this.policy, state.priority, calendar),
      firstResponseDueAt: firstResponseDue(at, state.priority, this.policy, calendar).toISOString(),
    };
  }

  /**
   * The calendar that measures a case: the one fixed at its opening, as loaded now (its
   * version may be newer than the recorded one; the figures say which they used). A
   * calendar that has since been removed falls back to the default, visibly so.
   */
  calendarOf(terms: SlaTerms | undefined): Calendar {
    return (terms && this.calendars.get(terms.calendarId)) ?? this.calendar(this.policy.defaultCalendar);
  }

  /** The case's SLA figures at `now`; undefined for a case opened without SLA terms. */
  report(state: CaseState, now: Date): SlaReport | undefined {
    if (state.status === 'not-opened' || state.sla.terms === undefined) return undefined;
    return slaReport(state, this.calendarOf(state.sla.terms), this.policy, now) ?? undefined;
  }

  private calendar(id: string): Calendar {
    const calendar = this.calendars.get(id);
    // loadSlaPolicy checked every calendar the policy names, so this is a programming error
    if (!calendar) throw new Error(`The SLA policy names calendar "${id}", which is not loaded`);
    return calendar;
  }
}
