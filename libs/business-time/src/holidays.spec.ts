import { DateTime } from 'luxon';
import {
  addBusinessTime,
  businessDays,
  Calendar,
  CalendarFile,
  createCalendar,
  holidaysIn,
  isWorkingTime,
} from '@app/business-time';

// A calendar's holidays generated from date-holidays by country and region, with the file's
// own additions and removals; the list form still reads as before.
const day = ['09:00-17:00'];
const week = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
const desk = (holidays: CalendarFile['holidays'], timeZone = 'Europe/Paris'): Calendar =>
  createCalendar({ id: 'desk', version: 1, timeZone, week, holidays });
const dates = (c: Calendar, year: number): string[] => holidaysIn(year, c).map((h) => h.date);
const at = (local: string, c: Calendar): Date => DateTime.fromISO(local, { zone: c.timeZone }).toJSDate();
const wall = (d: Date, c: Calendar): string =>
  DateTime.fromJSDate(d, { zone: c.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
const oneDayFrom = (local: string, c: Calendar): string =>
  wall(addBusinessTime(at(local, c), businessDays(1, c), c), c);

describe('generated holidays', () => {
  it('a country gives its public holidays for any year, named in its language', () => {
    const france = desk({ country: 'FR' });
    expect(france.holidays.generated).toEqual({ country: 'FR', types: ['public'], observedOnly: false });
    expect(holidaysIn(2045, france).map((h) => `${h.date} ${h.name}`)).toEqual([
      '2045-01-01 Nouvel An',
      '2045-04-10 Lundi de Pâques',
      '2045-05-01 Fête du travail',
      '2045-05-08 Fête de la Victoire 1945',
      '2045-05-18 Ascension',
      '2045-05-29 Lundi de Pentecôte',
      '2045-07-14 Fête Nationale de la France',
      '2045-08-15 Assomption',
      '2045-11-01 Toussaint',
      '2045-11-11 Armistice 1918',
      '2045-12-25 Noël',
    ]);
  });

  it('a region adds its own: Alsace-Moselle keeps Good Friday and St Stephen\u2019s Day', () => {
    const strasbourg = desk({ country: 'FR', region: '67' });
    const paris = desk({ country: 'FR' });
    const extra = dates(strasbourg, 2030).filter((d) => !dates(paris, 2030).includes(d));
    expect(extra).toEqual(['2030-04-19', '2030-12-26']);
  });

  it('types choose what counts: Japan\u2019s bank closures only when "bank" is named', () => {
    expect(dates(desk({ country: 'JP' }, 'Asia/Tokyo'), 2029)).not.toContain('2029-01-03');
    expect(dates(desk({ country: 'JP', types: ['public', 'bank'] }, 'Asia/Tokyo'), 2029)).toContain('2029-01-03');
  });

  it('observedOnly keeps the observed day and drops the weekend date, across New Year too', () => {
    const both = desk({ country: 'US' }, 'America/New_York');
    const observed = desk({ country: 'US', observedOnly: true }, 'America/New_York');
    // Independence Day 2037 is a Saturday, observed on Friday 3 July
    expect(dates(both, 2037)).toEqual(expect.arrayContaining(['2037-07-03', '2037-07-04']));
    expect(dates(observed, 2037)).toContain('2037-07-03');
    expect(dates(observed, 2037)).not.toContain('2037-07-04');
    // New Year's Day 2039 is a Saturday, observed on Friday 31 December 2038
    expect(dates(observed, 2038)).toContain('2038-12-31');
    expect(dates(observed, 2039)).not.toContain('2039-01-01');
    expect(dates(both, 2039)).toContain('2039-01-01');
    // a holiday on a weekday is kept whatever the option
    expect(dates(observed, 2037)).toContain('2037-11-26');
  });

  it('two holidays on one date are one holiday, named for both (Sydney 2038: Easter Sunday is Anzac Day)', () => {
    const sydney = desk({ country: 'AU', region: 'NSW' }, 'Australia/Sydney');
    const onAnzacDay = holidaysIn(2038, sydney).filter((h) => h.date === '2038-04-25');
    expect(onAnzacDay).toEqual([{ date: '2038-04-25', name: 'Anzac Day / Easter Sunday' }]);
  });

  it('the file adds a desk\u2019s closures and removes the holidays it works, in any year', () => {
    const paris = desk({
      country: 'FR',
      add: [
        { date: '2030-05-31', name: "Pont de l'Ascension (company day off)" },
        { date: '2030-12-24', name: 'Closed on Christmas Eve' },
      ],
      remove: [{ date: '2030-06-10', reason: 'journée de solidarité: Whit Monday is worked' }],
    });
    const plain = desk({ country: 'FR' });
    expect(dates(paris, 2030)).toContain('2030-05-31');
    expect(dates(paris, 2030)).toContain('2030-12-24');
    expect(dates(paris, 2030)).not.toContain('2030-06-10');
    expect(dates(paris, 2031)).toEqual(dates(plain, 2031));
    expect(holidaysIn(2030, paris).find((h) => h.date === '2030-05-31')?.name).toBe(
      "Pont de l'Ascension (company day off)",
    );
    // the arithmetic follows: Thursday 30 May 2030 is Ascension, Friday the desk's bridge day
    expect(oneDayFrom('2030-05-29T10:00', paris)).toBe('2030-06-03T10:00');
    expect(oneDayFrom('2030-05-29T10:00', plain)).toBe('2030-05-31T10:00');
    // and Whit Monday 10 June is a working day
    expect(oneDayFrom('2030-06-07T10:00', paris)).toBe('2030-06-10T10:00');
    expect(oneDayFrom('2030-06-07T10:00', plain)).toBe('2030-06-11T10:00');
    expect(paris.holidays.add.map((h) => h.date)).toEqual(['2030-05-31', '2030-12-24']);
    expect(paris.holidays.remove).toEqual([
      { date: '2030-06-10', reason: 'journée de solidarité: Whit Monday is worked' },
    ]);
  });

  it('a holiday is a local date of the calendar\u2019s zone, even when the zone is not the country\u2019s', () => {
    // a desk in Auckland that keeps New South Wales' holidays: Boxing Day 2030 from local midnight
    const c = createCalendar({
      id: 'nz-desk',
      version: 1,
      timeZone: 'Pacific/Auckland',
      week: {
        mon: ['00:00-24:00'],
        tue: ['00:00-24:00'],
        wed: ['00:00-24:00'],
        thu: ['00:00-24:00'],
        fri: ['00:00-24:00'],
        sat: [],
        sun: [],
      },
      holidays: { country: 'AU', region: 'NSW' },
    });
    expect(isWorkingTime(at('2030-12-25T23:59', c), c)).toBe(false); // Christmas, a Wednesday
    expect(isWorkingTime(at('2030-12-27T00:00', c), c)).toBe(true); // Friday 27
    expect(isWorkingTime(at('2030-12-26T23:59', c), c)).toBe(false); // Boxing Day, Thursday
    expect(isWorkingTime(at('2030-12-24T23:59', c), c)).toBe(true);
  });

  it('holidaysIn refuses a year outside 1900-2399', () => {
    expect(() => holidaysIn(2400, desk({ country: 'FR' }))).toThrow(RangeError);
    expect(() => holidaysIn(1899, desk([]))).toThrow(RangeError);
    expect(holidaysIn(2399, desk({ country: 'FR' }))).toHaveLength(11);
  });
});

describe('the list form', () => {
  it('counts exactly its dates, in the year they fall, and nothing generated', () => {
    const c = desk([
      { date: '2031-01-02', name: 'B' },
      { date: '2030-12-31', name: 'A' },
    ]);
    expect(c.holidays.generated).toBeUndefined();
    expect(holidaysIn(2030, c)).toEqual([{ date: '2030-12-31', name: 'A' }]);
    expect(holidaysIn(2031, c)).toEqual([{ date: '2031-01-02', name: 'B' }]);
    expect(holidaysIn(2032, c)).toEqual([]);
    expect(oneDayFrom('2030-12-30T10:00', c)).toBe('2031-01-01T10:00');
    expect(oneDayFrom('2031-01-01T10:00', c)).toBe('2031-01-03T10:00');
  });
});
