import { join } from 'node:path';
import { DateTime } from 'luxon';
import { Calendar, loadCalendars } from '@app/business-time';

// The calendars shipped in config/calendars load, and list the real 2026-2027 public holidays.
const calendars = loadCalendars(join(__dirname, '../../../config/calendars'));
const cal = (id: string): Calendar => calendars.get(id)!;
const holidayDates = (id: string, year: number): string[] =>
  cal(id)
    .holidays.map((h) => h.date)
    .filter((d) => d.startsWith(`${year}-`));
const nameOn = (id: string, date: string): string | undefined => cal(id).holidays.find((h) => h.date === date)?.name;

/** Gregorian Easter Sunday (Meeus/Jones/Butcher), as YYYY-MM-DD. */
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

describe('shipped calendars', () => {
  it('all load, with the expected ids, zones and versions', () => {
    expect([...calendars.values()].map((c) => [c.id, c.timeZone, c.version])).toEqual([
      ['america-new-york', 'America/New_York', 1],
      ['asia-tokyo', 'Asia/Tokyo', 1],
      ['australia-sydney', 'Australia/Sydney', 1],
      ['europe-paris', 'Europe/Paris', 1],
    ]);
  });

  it('Easter falls on 5 April 2026 and 28 March 2027', () => {
    expect(easterPlus(2026, 0)).toBe('2026-04-05');
    expect(easterPlus(2027, 0)).toBe('2027-03-28');
  });

  it.each([
    ['europe-paris', 2026, 11],
    ['europe-paris', 2027, 11],
    ['america-new-york', 2026, 11],
    ['america-new-york', 2027, 12], // including New Year's Day 2028, observed on 31 December 2027
    ['asia-tokyo', 2026, 18],
    ['asia-tokyo', 2027, 17],
    ['australia-sydney', 2026, 13],
    ['australia-sydney', 2027, 14],
  ])('%s lists %d holidays in %d', (id, year, count) => {
    expect(holidayDates(id, year)).toHaveLength(count);
  });

  describe.each([2026, 2027])('%d', (y) => {
    it('Paris: fixed dates and the Easter-based Monday, Ascension and Whit Monday', () => {
      const dates = holidayDates('europe-paris', y);
      for (const md of ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25']) {
        expect(dates).toContain(`${y}-${md}`);
      }
      expect(nameOn('europe-paris', easterPlus(y, 1))).toBe('Lundi de Pâques');
      expect(nameOn('europe-paris', easterPlus(y, 39))).toBe('Ascension');
      expect(nameOn('europe-paris', easterPlus(y, 50))).toBe('Lundi de Pentecôte');
    });

    it('New York: federal holidays by their rules', () => {
      const dates = holidayDates('america-new-york', y);
      expect(dates).toContain(nth(y, 1, 1, 3)); // Martin Luther King Jr.: third Monday of January
      expect(dates).toContain(nth(y, 2, 1, 3)); // Washington's Birthday: third Monday of February
      expect(dates).toContain(nth(y, 5, 1, -1)); // Memorial Day: last Monday of May
      expect(dates).toContain(nth(y, 9, 1, 1)); // Labor Day: first Monday of September
      expect(dates).toContain(nth(y, 10, 1, 2)); // Columbus Day: second Monday of October
      expect(dates).toContain(nth(y, 11, 4, 4)); // Thanksgiving: fourth Thursday of November
      expect(dates).toContain(`${y}-11-11`);
    });

    it('Tokyo: Happy Monday holidays', () => {
      const dates = holidayDates('asia-tokyo', y);
      expect(dates).toContain(nth(y, 1, 1, 2)); // Coming of Age Day
      expect(dates).toContain(nth(y, 7, 1, 3)); // Marine Day
      expect(dates).toContain(nth(y, 9, 1, 3)); // Respect for the Aged Day
      expect(dates).toContain(nth(y, 10, 1, 2)); // Sports Day
      for (const md of ['01-01', '02-11', '02-23', '04-29', '05-03', '05-04', '05-05', '08-11', '11-03', '11-23']) {
        expect(dates).toContain(`${y}-${md}`);
      }
    });

    it('Sydney: Easter from Good Friday to Easter Monday, King\u2019s Birthday, Labour Day', () => {
      expect(nameOn('australia-sydney', easterPlus(y, -2))).toBe('Good Friday');
      expect(nameOn('australia-sydney', easterPlus(y, -1))).toBe('Easter Saturday');
      expect(nameOn('australia-sydney', easterPlus(y, 0))).toBe('Easter Sunday');
      expect(nameOn('australia-sydney', easterPlus(y, 1))).toBe('Easter Monday');
      expect(nameOn('australia-sydney', nth(y, 6, 1, 2))).toBe("King's Birthday");
      expect(nameOn('australia-sydney', nth(y, 10, 1, 1))).toBe('Labour Day');
      expect(nameOn('australia-sydney', `${y}-04-25`)).toBe('Anzac Day');
    });
  });

  it.each([
    ['america-new-york', '2026-07-03', /Independence Day \(observed/],
    ['america-new-york', '2026-06-19', /Juneteenth/],
    ['america-new-york', '2027-06-18', /Juneteenth .*observed/],
    ['america-new-york', '2027-07-05', /Independence Day \(observed/],
    ['america-new-york', '2027-12-24', /Christmas Day \(observed/],
    ['america-new-york', '2027-12-31', /New Year's Day 2028 \(observed/],
    ['asia-tokyo', '2026-03-20', /Vernal Equinox/],
    ['asia-tokyo', '2026-05-06', /振替休日/],
    ['asia-tokyo', '2026-09-22', /国民の休日/],
    ['asia-tokyo', '2026-09-23', /Autumnal Equinox/],
    ['asia-tokyo', '2027-03-21', /Vernal Equinox/],
    ['asia-tokyo', '2027-03-22', /振替休日/],
    ['asia-tokyo', '2027-09-23', /Autumnal Equinox/],
    ['australia-sydney', '2026-01-26', /Australia Day/],
    ['australia-sydney', '2026-04-27', /Additional day \(Anzac Day/],
    ['australia-sydney', '2026-12-28', /Additional day \(Boxing Day/],
    ['australia-sydney', '2027-01-26', /Australia Day/],
    ['australia-sydney', '2027-04-26', /Additional day \(Anzac Day/],
    ['australia-sydney', '2027-12-27', /Additional day \(Christmas Day/],
    ['australia-sydney', '2027-12-28', /Additional day \(Boxing Day/],
  ])('%s: %s is %s', (id, date, name) => {
    expect(nameOn(id, date)).toMatch(name);
  });

  it.each([
    ['america-new-york', '2026-07-04'], // a Saturday: observed on Friday 3 July instead
    ['asia-tokyo', '2026-12-31'], // year-end closures are not national holidays
    ['australia-sydney', '2026-08-03'], // the Bank Holiday is for banks only
    ['europe-paris', '2026-05-15'], // the Friday after Ascension ("pont") is a working day
  ])('%s: %s is not listed', (id, date) => {
    expect(nameOn(id, date)).toBeUndefined();
  });
});
