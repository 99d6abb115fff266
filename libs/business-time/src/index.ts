/**
 * @app/business-time: business calendars and business-time arithmetic (R10, docs/domain-model.md).
 * Pure, except the loaders (`loadCalendars`, `loadCalendarFile`, `loadSlaPolicy` in
 * calendar.loader.ts), which read the configuration files once at boot.
 * See docs/business-time.md.
 */
export { WEEKDAYS, createCalendar, parseCalendar } from './calendar';
export type { Calendar, CalendarFile, Weekday, WorkingHours } from './calendar';
export { HOLIDAY_TYPES } from './holidays';
export type { CalendarHolidays, Holiday, HolidayRemoval, HolidayRulesFile, HolidayType } from './holidays';
export { InvalidCalendar } from './calendar.errors';
export { loadCalendarFile, loadCalendars, loadSlaPolicy } from './calendar.loader';
export {
  addBusinessTime,
  businessDayLength,
  businessDays,
  businessTimeBetween,
  holidaysIn,
  isWorkingTime,
  nextWorkingMoment,
  workingIntervals,
} from './business-time';
export { MAX_YEAR, MIN_YEAR } from './timeline';
export {
  PRIORITIES,
  InvalidSlaPolicy,
  calendarIdForRegion,
  firstResponseDue,
  firstResponseTarget,
  parseSlaPolicy,
  regionForTenant,
  resolutionTarget,
} from './sla-policy';
export type { Priority, SlaPolicy } from './sla-policy';
