import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessTime,
  businessDayLength,
  businessTimeBetween,
  Calendar,
  holidaysIn,
  isWorkingTime,
  loadCalendars,
  nextWorkingMoment,
  WEEKDAYS,
} from '@app/business-time';

// Properties of the arithmetic over every shipped calendar, for instants in 2026-2031 (the
// holidays generated past the years once written by hand included).
const calendars = [...loadCalendars(join(__dirname, '../../../config/calendars')).values()];
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2032, 0, 1);
const DAY = businessDayLength(calendars[0]);
const runs = { numRuns: 300 };

const calendar = fc.constantFrom(...calendars);
const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t));
/** mostly 0 to 3 business days; sometimes up to a year and a half, to cross years */
const duration = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 3 * DAY }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400 * DAY }) },
);
const ms = (d: Date): number => d.getTime();

describe('addBusinessTime and businessTimeBetween: properties', () => {
  it('add is monotonic in the start', () => {
    fc.assert(
      fc.property(calendar, instant, instant, duration, (c, a, b, d) => {
        const [t1, t2] = ms(a) <= ms(b) ? [a, b] : [b, a];
        expect(ms(addBusinessTime(t1, d, c))).toBeLessThanOrEqual(ms(addBusinessTime(t2, d, c)));
      }),
      runs,
    );
  });

  it('add is monotonic in the duration', () => {
    fc.assert(
      fc.property(calendar, instant, duration, duration, (c, t, x, y) => {
        const [d1, d2] = x <= y ? [x, y] : [y, x];
        expect(ms(addBusinessTime(t, d1, c))).toBeLessThanOrEqual(ms(addBusinessTime(t, d2, c)));
      }),
      runs,
    );
  });

  it('add(add(t, a), b) = add(t, a + b)', () => {
    fc.assert(
      fc.property(calendar, instant, duration, duration, (c, t, a, b) => {
        expect(ms(addBusinessTime(addBusinessTime(t, a, c), b, c))).toBe(ms(addBusinessTime(t, a + b, c)));
      }),
      runs,
    );
  });

  it('between(t, add(t, d)) = d', () => {
    fc.assert(
      fc.property(calendar, instant, duration, (c, t, d) => {
        expect(businessTimeBetween(t, addBusinessTime(t, d, c), c)).toBe(d);
      }),
      runs,
    );
  });

  it('add(t, between(t, u)) lands at u, or at the next working moment after u with no business time between', () => {
    fc.assert(
      fc.property(calendar, instant, instant, (c, a, b) => {
        const [t, u] = ms(a) <= ms(b) ? [a, b] : [b, a];
        const landed = addBusinessTime(t, businessTimeBetween(t, u, c), c);
        expect(ms(landed)).toBe(ms(nextWorkingMoment(u, c)));
        expect(ms(landed)).toBeGreaterThanOrEqual(ms(u));
        expect(businessTimeBetween(u, landed, c)).toBe(0);
        if (isWorkingTime(u, c)) expect(ms(landed)).toBe(ms(u));
      }),
      runs,
    );
  });

  it('the result is always working time (for d > 0, and for d = 0 too)', () => {
    fc.assert(
      fc.property(calendar, instant, duration, (c, t, d) => {
        expect(isWorkingTime(addBusinessTime(t, d, c), c)).toBe(true);
      }),
      runs,
    );
  });

  it('business time is additive and never exceeds elapsed time', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (c, x, y, z) => {
        const [a, b, d] = [x, y, z].sort((p, q) => ms(p) - ms(q));
        const ab = businessTimeBetween(a, b, c);
        expect(ab + businessTimeBetween(b, d, c)).toBe(businessTimeBetween(a, d, c));
        expect(ab).toBeLessThanOrEqual(ms(b) - ms(a));
        expect(businessTimeBetween(b, a, c)).toBe(0);
      }),
      runs,
    );
  });

  it('agrees with a slow reference built directly on Luxon, day by day', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 12 * 86_400_000 }), (c, a, span) => {
        const b = new Date(ms(a) + span);
        expect(businessTimeBetween(a, b, c)).toBe(referenceBetween(a, b, c));
      }),
      runs,
    );
  });
});

/**
 * Working time in [a, b) by walking the local dates with Luxon: an oracle independent of the
 * library's own offset handling (valid for the shipped calendars, whose working hours never
 * touch a DST change).
 */
const referenceBetween = (a: Date, b: Date, c: Calendar): number => {
  const isHoliday = (day: DateTime): boolean => holidaysIn(day.year, c).some((h) => h.date === day.toISODate());
  let day = DateTime.fromJSDate(a, { zone: c.timeZone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(b, { zone: c.timeZone }).plus({ days: 1 });
  let sum = 0;
  for (; day <= last; day = day.plus({ days: 1 })) {
    if (isHoliday(day)) continue;
    for (const h of c.week[WEEKDAYS[day.weekday - 1]]) {
      const start = day.set({ hour: Math.floor(h.startMinute / 60), minute: h.startMinute % 60 }).toMillis();
      const end = day.set({ hour: Math.floor(h.endMinute / 60), minute: h.endMinute % 60 }).toMillis();
      sum += Math.max(0, Math.min(end, ms(b)) - Math.max(start, ms(a)));
    }
  }
  return sum;
};
