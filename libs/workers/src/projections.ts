import type { Calendar, SlaPolicy } from '@app/business-time';
import type { Projection } from '@app/projections';
import {
  caseQueueProjection,
  caseReportsProjection,
  caseSummariesProjection,
  helpArticlesProjection,
  intakesProjection,
} from '@app/read-models';

/** What the report projection needs of the SLA configuration (SlaService has it). */
export interface ProjectionCalendars {
  readonly calendars: ReadonlyMap<string, Calendar>;
  /** the default calendar, and the first-response targets each cycle's due time is computed with */
  readonly policy: SlaPolicy;
}

/**
 * Every read model of the system; the API and the worker register the same list. The
 * reports measure business time in each case's calendar (Opened's SLA terms), falling back
 * to the policy's default calendar for a case opened without terms or with a calendar
 * that is no longer configured, and judge each resolution cycle against its own due time,
 * computed with the policy's targets as at opening.
 */
export const allProjections = ({ calendars, policy }: ProjectionCalendars): readonly Projection[] => {
  const fallback = calendars.get(policy.defaultCalendar);
  if (!fallback) throw new Error(`The default calendar ${policy.defaultCalendar} is not loaded`);
  return [
    caseSummariesProjection as Projection,
    caseQueueProjection as Projection,
    caseReportsProjection({ calendarOf: (id) => (id !== null && calendars.get(id)) || fallback, policy }) as Projection,
    // R5: the help-centre articles the help assistant searches
    helpArticlesProjection as Projection,
    // R5–R8: the help assistant's intakes (the deflection report, the worker's intake sweep)
    intakesProjection as Projection,
  ];
};
