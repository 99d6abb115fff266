import { isWorkingTime, nextWorkingMoment, type Calendar } from '@app/business-time';
import {
  decideRouting,
  ROUTER,
  type OpenedCase,
  type Priority,
  type RouteCase,
  type RoutingDecision,
  type RoutingTrigger,
  type Vendor,
} from '@app/case-domain';

/** A vendor's working calendar, by id (the calendars of CALENDARS_DIR). */
export type CalendarLookup = (calendarId: string) => Calendar | undefined;

/**
 * The shell around the pure routing policy (`decideRouting`): it holds what the policy must
 * not (the vendors, the calendars, the clock) and turns them into the at-work predicate.
 * A vendor whose calendar is not loaded is never at work: it still gets cases no one else
 * can take, but never before a vendor whose hours are known.
 */
export class CaseRouter {
  constructor(private readonly calendarOf: CalendarLookup) {}

  /** Whether the vendor is at work at `now` (its calendar's working hours, holidays excluded). */
  isAtWork(vendor: Vendor, now: Date): boolean {
    const calendar = this.calendarOf(vendor.calendarId);
    return calendar !== undefined && isWorkingTime(now, calendar);
  }

  /** The same decision from the case's routing inputs alone (what the re-router has in its read model). */
  decideFor(
    c: { readonly language: string; readonly priority: Priority; readonly region?: string },
    now: Date,
    vendors: readonly Vendor[],
  ): RoutingDecision {
    return decideRouting({
      ...c,
      vendors,
      isAtWork: (vendor) => this.isAtWork(vendor, now),
      nextShiftStart: (vendor) => {
        const calendar = this.calendarOf(vendor.calendarId);
        return calendar ? nextWorkingMoment(now, calendar).getTime() : undefined;
      },
    });
  }

  /** The `RouteCase` command for a case as it stands, at `now` (actor: the system router). */
  command(state: OpenedCase, now: Date, trigger: RoutingTrigger, vendors: readonly Vendor[]): RouteCase {
    const { language, priority } = state;
    return {
      type: 'RouteCase',
      caseId: state.id,
      actor: ROUTER,
      trigger,
      decision: this.decideFor({ language, priority, region: state.sla.terms?.region }, now, vendors),
    };
  }
}
