import { Calendar, TIMELINE, WEEKDAYS } from './calendar';
import type { Holiday } from './holidays';

/**
 * Business-time arithmetic over a {@link Calendar}. Pure: time is always an argument.
 *
 * The model: working time is a set of half-open instants `[start, end)` (the calendar's
 * local working intervals, converted to instants day by day, minus holidays). The
 * business-time *position* of an instant is the working time before it; it stands still
 * outside working time.
 *
 * - `businessTimeBetween(a, b)` is the working time in `[a, b)`.
 * - `addBusinessTime(t, d)` is the **latest** instant whose position is `pos(t) + d`. That
 *   is always a working moment: when the duration runs out exactly at the end of an
 *   interval (18:00), the result is the start of the next one (the next working morning),
 *   since no business time passes in between. It follows that
 *   `addBusinessTime(t, 0)` is `nextWorkingMoment(t)`, that
 *   `add(add(t, a), b) = add(t, a + b)` and `between(t, add(t, d)) = d` hold exactly, and
 *   that, for an SLA, "no response by `addBusinessTime(opened, target)`" is the same test
 *   as "`businessTimeBetween(opened, respondedAt) > target`".
 *
 * All times are millisecond instants (`Date`); durations are integer milliseconds.
 * Supported years: 1900–2399 (local); outside, a `RangeError` is thrown.
 */

const instant = (at: Date, name: string): number => {
  const t = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid Date`);
  return t;
};

/**
 * The instant at which `durationMs` of business time has elapsed since `start`: always a
 * working moment (see the module notes); `durationMs = 0` gives the next working moment.
 * @throws RangeError if `durationMs` is not a non-negative integer or `start` is invalid
 */
export const addBusinessTime = (start: Date, durationMs: number, calendar: Calendar): Date => {
  const t = instant(start, 'start');
  if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a non-negative integer number of milliseconds (got ${durationMs})`);
  }
  return new Date(calendar[TIMELINE].add(t, durationMs));
};

/** Business time, in ms, from `a` to `b` (the working time in `[a, b)`); 0 when `b <= a`. */
export const businessTimeBetween = (a: Date, b: Date, calendar: Calendar): number =>
  calendar[TIMELINE].between(instant(a, 'a'), instant(b, 'b'));

/**
 * The calendar's holidays on local dates of `year` (in its time zone), sorted by date: the
 * generated public holidays plus the file's additions minus its removals, or the file's list.
 * @throws RangeError for a year outside 1900–2399
 */
export const holidaysIn = (year: number, calendar: Calendar): readonly Holiday[] =>
  calendar[TIMELINE].holidays.inYear(year);

/** Whether `at` lies in working time (intervals are half-open: 18:00 itself is not working). */
export const isWorkingTime = (at: Date, calendar: Calendar): boolean => calendar[TIMELINE].isWorking(instant(at, 'at'));

/** `at` itself if it is working time, otherwise the start of the next working interval. */
export const nextWorkingMoment = (at: Date, calendar: Calendar): Date =>
  new Date(calendar[TIMELINE].add(instant(at, 'at'), 0));

/** The working intervals that meet `[from, to)`, clipped to it, in order. */
export const workingIntervals = (from: Date, to: Date, calendar: Calendar): Array<{ start: Date; end: Date }> =>
  calendar[TIMELINE].intervals(instant(from, 'from'), instant(to, 'to')).map(([start, end]) => ({
    start: new Date(start),
    end: new Date(end),
  }));

/**
 * The length of "one business day" (R10) in ms: the working time of the
 * calendar's **typical working day**, i.e. the daily total (in wall-clock hours) that the
 * most weekdays have, among days that have any; on a tie, the longest. Mon–Fri 09:00–12:30
 * and 13:30–18:00 gives 8 h; Mon–Thu 8 h + Fri 6 h gives 8 h; Mon–Fri 9 h + Sat 4 h gives
 * 9 h. It is a fixed duration: DST and holidays do not change it.
 */
export const businessDayLength = (calendar: Calendar): number => {
  const counts = new Map<number, number>();
  for (const day of WEEKDAYS) {
    const minutes = calendar.week[day].reduce((sum, h) => sum + h.endMinute - h.startMinute, 0);
    if (minutes > 0) counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [minutes, count] of counts) {
    if (count > bestCount || (count === bestCount && minutes > best)) [best, bestCount] = [minutes, count];
  }
  return best * 60_000;
};

/** `days` business days in ms (`days × businessDayLength`), rounded to the millisecond. */
export const businessDays = (days: number, calendar: Calendar): number =>
  Math.round(days * businessDayLength(calendar));
