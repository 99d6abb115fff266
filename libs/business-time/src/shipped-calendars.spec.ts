import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import {
  addBusinessTime,
  businessDays,
  Calendar,
  createCalendar,
  holidaysIn,
  isWorkingTime,
  loadCalendars,
} from '@app/business-time';
import { HAND_WRITTEN_HOLIDAYS_2026_2027 } from './testing/hand-written-holidays';

// The calendars shipped in config/calendars load, and give the real public holidays: the
// 2026-2027 dates once written by hand, and the same rules in the years after, generated.
const calendars = loadCalendars(join(__dirname, '../../../config/calendars'));
const cal = (id: string): Calendar => calendars.get(id)!;
const holidayDates = (id: string, year: number): string[] => holidaysIn(year, cal(id)).map((h) => h.date);
const nameOn = (id: string, date: string): string | undefined =>
  holidaysIn(Number(date.slice(0, 4)), cal(id)).find((h) => h.date === date)?.name;
const YEARS = Array.from({ length: 15 }, (_, i) => 2026 + i); // 2026-2040

/** Gregorian Easter Sunday (Meeus/Jones/Butcher). */
const easter = (y: number): DateTime => {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.utc(y, month, day);
};
const easterPlus = (y: number, days: number): string => easter(y).plus({ days }).toISODate()!;
/** The n-th given weekday (1 = Monday) of a month; n = -1 for the last. */
const nth = (y: number, month: number, weekday: number, n: number): string => {
  if (n < 0) {
    let d = DateTime.utc(y, month, 1).endOf('month').startOf('day');
    while (d.weekday !== weekday) d = d.minus({ days: 1 });
    return d.toISODate()!;
  }
  let d = DateTime.utc(y, month, 1);
  while (d.weekday !== weekday) d = d.plus({ days: 1 });
  return d.plus({ weeks: n - 1 }).toISODate()!;
};
const date = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const plusDays = (iso: string, days: number): string => date(iso).plus({ days }).toISODate()!;
/** US federal rule: a Saturday holiday is observed on the Friday before, a Sunday one on the Monday after. */
const usObserved = (iso: string): string => {
  const weekday = date(iso).weekday;
  return weekday === 6 ? plusDays(iso, -1) : weekday === 7 ? plusDays(iso, 1) : iso;
};
/** A local wall-clock time in the calendar's zone, as an instant, and back. */
const at = (local: string, c: Calendar): Date => DateTime.fromISO(local, { zone: c.timeZone }).toJSDate();
const wall = (d: Date, c: Calendar): string =>
  DateTime.fromJSDate(d, { zone: c.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('shipped calendars', () => {
  it('all load, with the expected ids, zones, versions and holiday sources', () => {
    expect(
      [...calendars.values()].map((c) => [c.id, c.timeZone, c.version, c.holidays.generated, c.holidays.add.length]),
    ).toEqual([
      ['america-new-york', 'America/New_York', 2, { country: 'US', types: ['public', 'bank'], observedOnly: true }, 0],
      ['asia-tokyo', 'Asia/Tokyo', 2, { country: 'JP', types: ['public'], observedOnly: false }, 0],
      [
        'australia-sydney',
        'Australia/Sydney',
        2,
        { country: 'AU', region: 'NSW', types: ['public'], observedOnly: false },
        0,
      ],
      ['europe-paris', 'Europe/Paris', 2, { country: 'FR', types: ['public'], observedOnly: false }, 0],
    ]);
  });

  // The versions above were set against this release of date-holidays. A new release may move
  // generated dates: compare the years the desks care about (this suite does 2026-2040), bump
  // the version of every calendar whose dates moved (cases record it), then this line.
  it('date-holidays is pinned to the release the calendar versions were set against', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    expect(manifest.dependencies['date-holidays']).toBe('3.37.0');
  });

  describe.each(Object.keys(HAND_WRITTEN_HOLIDAYS_2026_2027))('%s', (id) => {
    it.each([2026, 2027])('the generated %d holidays are the hand-written ones, date for date', (year) => {
      const written = HAND_WRITTEN_HOLIDAYS_2026_2027[id]
        .filter((h) => h.date.startsWith(`${year}-`))
        .map((h) => h.date);
      expect(written.length).toBeGreaterThan(10);
      expect(holidayDates(id, year)).toEqual(written);
    });
  });

  // holidays.ts reads one year of date-holidays per calendar-year (three with observedOnly),
  // which holds while the package lists a year's holidays under that year, substitutes included
  it.each([...calendars.keys()])('%s: date-holidays dates every holiday of a year in that year (2026-2100)', (id) => {
    const { country, region, types } = cal(id).holidays.generated!;
    const generator = new Holidays({ country, ...(region ? { state: region } : {}) }, { types: [...types] });
    const strays: string[] = [];
    for (let y = 2026; y <= 2100; y++) {
      for (const h of generator.getHolidays(y)) if (!h.date.startsWith(`${y}-`)) strays.push(`${y}: ${h.date}`);
    }
    expect(strays).toEqual([]);
  });

  it('Easter falls on 5 April 2026 and 28 March 2027', () => {
    expect(easterPlus(2026, 0)).toBe('2026-04-05');
    expect(easterPlus(2027, 0)).toBe('2027-03-28');
  });

  describe.each(YEARS)('%d', (y) => {
    it('Paris: the 8 fixed dates and the Easter-based Monday, Ascension and Whit Monday, nothing else', () => {
      const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((md) => `${y}-${md}`);
      const moving = [easterPlus(y, 1), easterPlus(y, 39), easterPlus(y, 50)];
      expect(holidayDates('europe-paris', y)).toEqual([...new Set([...fixed, ...moving])].sort());
    });

    it('New York: the 11 federal holidays by their rules, on their observed days', () => {
      const fixed = ['01-01', '06-19', '07-04', '11-11', '12-25'].map((md) => usObserved(`${y}-${md}`));
      const mondaysAndThursday = [
        nth(y, 1, 1, 3), // Martin Luther King Jr.: third Monday of January
        nth(y, 2, 1, 3), // Washington's Birthday: third Monday of February
        nth(y, 5, 1, -1), // Memorial Day: last Monday of May
        nth(y, 9, 1, 1), // Labor Day: first Monday of September
        nth(y, 10, 1, 2), // Columbus Day: second Monday of October
        nth(y, 11, 4, 4), // Thanksgiving: fourth Thursday of November
      ];
      // New Year's Day of the next year, when a Saturday, is observed on 31 December of this one
      const nextNewYear = usObserved(`${y + 1}-01-01`);
      const expected = [...fixed, ...mondaysAndThursday, ...(nextNewYear.startsWith(`${y}-`) ? [nextNewYear] : [])]
        .filter((d) => d.startsWith(`${y}-`))
        .sort();
      expect(holidayDates('america-new-york', y)).toEqual(expected);
    });

    it('Tokyo: the Happy Monday holidays, the fixed dates, and a substitute after each Sunday holiday', () => {
      const dates = holidayDates('asia-tokyo', y);
      expect(dates).toContain(nth(y, 1, 1, 2)); // Coming of Age Day
      expect(dates).toContain(nth(y, 7, 1, 3)); // Marine Day
      expect(dates).toContain(nth(y, 9, 1, 3)); // Respect for the Aged Day
      expect(dates).toContain(nth(y, 10, 1, 2)); // Sports Day
      for (const md of ['01-01', '02-11', '02-23', '04-29', '05-03', '05-04', '05-05', '08-11', '11-03', '11-23']) {
        expect(dates).toContain(`${y}-${md}`);
      }
      // Act on National Holidays, art. 3(2): a holiday on a Sunday moves to the next day that is not one
      for (const sunday of dates.filter((d) => date(d).weekday === 7)) {
        let next = plusDays(sunday, 1);
        while (dates.includes(next) && !/振替休日/.test(nameOn('asia-tokyo', next)!)) next = plusDays(next, 1);
        expect([next, nameOn('asia-tokyo', next)]).toEqual([next, expect.stringMatching(/振替休日/)]);
      }
      // the banks' closures (2-3 January, 31 December) are not national holidays; 2 January is
      // one only as New Year's substitute
      expect(dates).not.toContain(`${y}-12-31`);
      expect(dates).not.toContain(`${y}-01-03`);
      expect(dates.includes(`${y}-01-02`)).toBe(date(`${y}-01-01`).weekday === 7);
    });

    it('Sydney: Easter from Good Friday to Easter Monday, King\u2019s Birthday, Labour Day, the additional days', () => {
      const dates = holidayDates('australia-sydney', y);
      for (const days of [-2, -1, 0, 1]) expect(dates).toContain(easterPlus(y, days));
      for (const d of [nth(y, 6, 1, 2), nth(y, 10, 1, 1), `${y}-01-01`, `${y}-04-25`, `${y}-12-25`, `${y}-12-26`]) {
        expect(dates).toContain(d);
      }
      // Public Holidays Act 2010 (NSW): New Year's Day on a weekend adds the Monday after;
      // Christmas or Boxing Day on a weekend adds the next weekday(s) not already holidays
      if (date(`${y}-01-01`).weekday >= 6) expect(dates).toContain(nth(y, 1, 1, 1));
      const christmas = date(`${y}-12-25`).weekday;
      const additional =
        christmas === 6 ? ['12-27', '12-28'] : christmas === 7 ? ['12-27'] : christmas === 5 ? ['12-28'] : [];
      for (const md of additional) expect(dates).toContain(`${y}-${md}`);
      expect(dates).not.toContain(nth(y, 8, 1, 1)); // the Bank Holiday is for banks only
    });
  });

  it.each([
    ['america-new-york', '2026-07-04'], // a Saturday: observed on Friday 3 July instead
    ['america-new-york', '2028-01-01'], // a Saturday: observed on Friday 31 December 2027
    ['america-new-york', '2028-11-11'], // a Saturday: observed on Friday 10 November
    ['america-new-york', '2026-11-27'], // the day after Thanksgiving is an observance
    ['asia-tokyo', '2026-12-31'], // year-end closures are not national holidays
    ['australia-sydney', '2026-08-03'], // the Bank Holiday is for banks only
    ['europe-paris', '2026-05-15'], // the Friday after Ascension ("pont") is a working day
    ['europe-paris', '2026-05-24'], // Whit Sunday is an observance
  ])('%s: %s is not a holiday', (id, day) => {
    expect(holidayDates(id, Number(day.slice(0, 4)))).not.toContain(day);
  });

  describe('past the hand-written years', () => {
    const sydney = cal('australia-sydney');
    // version 1's list, as a calendar: every weekday of 2028 counted as working
    const day = ['09:00-17:00'];
    const handWritten = createCalendar({
      id: 'australia-sydney',
      version: 1,
      timeZone: 'Australia/Sydney',
      week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
      holidays: HAND_WRITTEN_HOLIDAYS_2026_2027['australia-sydney'],
    });

    it('a Sydney case opened on Friday 31 December 2027 is due on Tuesday 4 January 2028, not Monday 3 January', () => {
      const opened = at('2027-12-31T10:00', sydney);
      const due = addBusinessTime(opened, businessDays(1, sydney), sydney);
      expect(wall(due, sydney)).toBe('2028-01-04T10:00'); // Sat 1 Jan, Sun 2 Jan, and Mon 3 Jan, New Year's additional day
      expect(wall(addBusinessTime(opened, businessDays(1, handWritten), handWritten), handWritten)).toBe(
        '2028-01-03T10:00',
      );
      expect(nameOn('australia-sydney', '2028-01-03')).toMatch(/New Year/);
    });

    it('Sydney, Christmas 2027: Friday 24 December plus one business day is Wednesday 29 (25-26 the weekend, 27-28 the additional days)', () => {
      const sydneyAt = at('2027-12-24T16:00', sydney);
      expect(wall(addBusinessTime(sydneyAt, businessDays(1, sydney), sydney), sydney)).toBe('2027-12-29T16:00');
    });

    it('New York: the observed New Year of 2028 and Veterans Day 2028 (Friday 10 November) are not working days', () => {
      const ny = cal('america-new-york');
      expect(wall(addBusinessTime(at('2027-12-30T10:00', ny), businessDays(1, ny), ny), ny)).toBe('2028-01-03T10:00');
      expect(wall(addBusinessTime(at('2028-11-09T10:00', ny), businessDays(1, ny), ny), ny)).toBe('2028-11-13T10:00');
    });

    it('Paris and Tokyo, 2031: Easter Monday (14 April) and the Golden Week substitute (Tuesday 6 May)', () => {
      const paris = cal('europe-paris');
      expect(wall(addBusinessTime(at('2031-04-11T10:00', paris), businessDays(1, paris), paris), paris)).toBe(
        '2031-04-15T10:00',
      );
      const tokyo = cal('asia-tokyo');
      expect(nameOn('asia-tokyo', '2031-05-06')).toMatch(/振替休日/);
      expect(wall(addBusinessTime(at('2031-05-02T10:00', tokyo), businessDays(1, tokyo), tokyo), tokyo)).toBe(
        '2031-05-07T10:00',
      );
    });
  });

  describe('a holiday is a whole local date in the calendar\u2019s zone, across the turn of the year', () => {
    const allWeek = (id: string): Calendar => {
      const c = cal(id);
      const day = ['00:00-24:00'];
      return createCalendar({
        id: `${id}-24x7`,
        version: 1,
        timeZone: c.timeZone,
        week: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
        holidays: { ...c.holidays.generated!, types: [...c.holidays.generated!.types] },
      });
    };

    it.each([
      // calendar, instant (UTC), working?, local time there
      ['australia-sydney', '2028-12-31T12:59:59.999Z', true, 'Sun 31 Dec 2028, 23:59 (UTC year 2028)'],
      ['australia-sydney', '2028-12-31T13:00:00.000Z', false, 'Mon 1 Jan 2029, 00:00 (UTC still 2028)'],
      ['australia-sydney', '2029-01-01T12:59:59.999Z', false, 'Mon 1 Jan 2029, 23:59'],
      ['australia-sydney', '2029-01-01T13:00:00.000Z', true, 'Tue 2 Jan 2029, 00:00'],
      ['asia-tokyo', '2030-12-31T14:59:59.999Z', true, 'Tue 31 Dec 2030, 23:59'],
      ['asia-tokyo', '2030-12-31T15:00:00.000Z', false, 'Wed 1 Jan 2031, 00:00 (UTC still 2030)'],
      ['america-new-york', '2032-12-31T04:59:59.999Z', true, 'Thu 30 Dec 2032, 23:59'],
      ['america-new-york', '2032-12-31T05:00:00.000Z', false, 'Fri 31 Dec 2032, 00:00: New Year 2033 observed'],
      ['america-new-york', '2033-01-01T04:59:59.999Z', false, 'Fri 31 Dec 2032, 23:59 (UTC already 2033)'],
      ['america-new-york', '2033-01-01T05:00:00.000Z', true, 'Sat 1 Jan 2033: observed the day before, so worked'],
      ['europe-paris', '2030-12-31T22:59:59.999Z', true, 'Tue 31 Dec 2030, 23:59'],
      ['europe-paris', '2030-12-31T23:00:00.000Z', false, 'Wed 1 Jan 2031, 00:00 (UTC still 2030)'],
    ])('%s at %s: working %s (%s)', (id, instant, working) => {
      expect(isWorkingTime(new Date(instant), allWeek(id))).toBe(working);
    });
  });
});
