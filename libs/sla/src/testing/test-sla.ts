import { join } from 'node:path';
import { loadCalendars, parseSlaPolicy } from '@app/business-time';
import { SlaService } from '../sla.service';

/** The shipped calendars; the policy's default first-response target, plus a resolution target for P1. */
export const testSla = () => {
  const calendars = loadCalendars(join(__dirname, '../../../../config/calendars'));
  const policy = parseSlaPolicy(
    {
      version: 'test-1',
      firstResponseBusinessDays: { P1: 1, P2: 1, P3: 1, P4: 1 },
      resolutionBusinessDays: { P1: 2 },
      calendarByRegion: { emea: 'europe-paris', amer: 'america-new-york' },
      regionByTenant: { 'globex.example': 'amer' },
      defaultCalendar: 'europe-paris',
    },
    'timers test policy',
    calendars,
  );
  return new SlaService(calendars, policy);
};
