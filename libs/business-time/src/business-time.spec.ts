import { join } from 'node:path';
import { DateTime } from 'luxon';
import {
  addBusinessTime,
  businessDayLength,
  businessTimeBetween,
  Calendar,
  createCalendar,
  isWorkingTime,
  loadCalendars,
  nextWorkingMoment,
  Weekday,
  workingIntervals,
} from '@app/business-time';

// Table tests for the arithmetic (R10: the first-response clock runs in business time).
const calendars = loadCalendars(join(__dirname, '../../../config/calendars'));
const cal = (id: string): Calendar => calendars.get(id)!;
const H = 3_600_000;
const M = 60_000;

/** A local wall-clock time in the calendar's zone, as an instant. */
const at = (local: string, c: Calendar): Date => DateTime.fromISO(local, { zone: c.timeZone }).toJSDate();
/** An instant as a local wall-clock time in the calendar's zone. */
const wall = (d: Date, c: Calendar): string =>
  DateTime.fromJSDate(d, { zone: c.timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");

const everyDay = (id: string, timeZone: string, hours: string[]): Calendar => {
  const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const week = Object.fromEntries(days.map((d) => [d, hours])) as Record<Weekday, string[]>;
  return createCalendar({ id, version: 1, timeZone, week, holidays: [] });
};

describe('addBusinessTime (R10)', () => {
  it.each([
    // calendar, opened (local), duration, due (local), why
    ['europe-paris', '2026-06-12T15:00', 4 * H, '2026-06-15T10:00', 'Friday afternoon: 3 h on Friday, 1 h on Monday'],
    [
      'europe-paris',
      '2026-06-13T11:00',
      2 * H,
      '2026-06-15T11:00',
      'opened on a Saturday: the clock starts Monday 09:00',
    ],
    ['europe-paris', '2026-05-14T10:00', 1 * H, '2026-05-15T10:00', 'opened on Ascension Thursday (holiday)'],
    ['europe-paris', '2026-06-15T07:00', 30 * M, '2026-06-15T09:30', 'before hours'],
    ['europe-paris', '2026-06-15T18:30', 1 * H, '2026-06-16T10:00', 'after hours'],
    ['europe-paris', '2026-06-15T12:45', 1 * H, '2026-06-15T14:30', 'opened in the lunch gap'],
    ['europe-paris', '2026-06-15T12:00', 1 * H, '2026-06-15T14:00', 'across the lunch gap'],
    ['europe-paris', '2026-06-15T10:00', 8 * H, '2026-06-16T10:00', 'exactly one business day from mid-morning'],
    [
      'europe-paris',
      '2026-06-15T09:00',
      8 * H,
      '2026-06-16T09:00',
      'one business day from 09:00 ends at 18:00: due next working moment',
    ],
    ['europe-paris', '2026-06-13T11:00', 8 * H, '2026-06-16T09:00', 'one business day from a Saturday'],
    ['europe-paris', '2026-06-13T11:00', 0, '2026-06-15T09:00', 'zero duration: the next working moment'],
    ['europe-paris', '2026-06-15T10:17', 0, '2026-06-15T10:17', 'zero duration in working time: unchanged'],
    ['europe-paris', '2026-03-27T16:00', 8 * H, '2026-03-30T16:00', 'across the spring DST change (Sun 29 March)'],
    ['europe-paris', '2026-10-23T16:00', 8 * H, '2026-10-26T16:00', 'across the autumn DST change (Sun 25 October)'],
    ['europe-paris', '2026-12-24T17:00', 2 * H, '2026-12-28T10:00', 'Christmas Day on a Friday'],
    ['europe-paris', '2026-06-15T09:00', 40 * H, '2026-06-22T09:00', 'five business days = one week'],
    ['america-new-york', '2026-03-06T13:00', 8 * H, '2026-03-09T13:00', 'across the March DST change (Sun 8 March)'],
    [
      'america-new-york',
      '2026-10-30T10:00',
      8 * H,
      '2026-11-02T10:00',
      'across the November DST change (Sun 1 November)',
    ],
    ['america-new-york', '2026-07-02T16:00', 2 * H, '2026-07-06T10:00', 'Independence Day observed on Friday 3 July'],
    [
      'america-new-york',
      '2027-12-30T16:00',
      2 * H,
      '2028-01-03T10:00',
      "New Year's Day 2028 observed on Friday 31 December 2027",
    ],
    [
      'australia-sydney',
      '2026-04-02T15:00',
      8 * H,
      '2026-04-07T15:00',
      'Easter (Fri-Mon off) and DST end (Sun 5 April)',
    ],
    ['australia-sydney', '2026-10-02T16:00', 8 * H, '2026-10-06T16:00', 'DST start (Sun 4 October) and Labour Day'],
    ['australia-sydney', '2026-04-24T16:00', 2 * H, '2026-04-28T10:00', 'the Monday after Anzac Day 2026 is a holiday'],
    ['asia-tokyo', '2026-05-01T16:00', 8 * H, '2026-05-07T16:00', 'Golden Week with the substitute holiday of 6 May'],
    ['asia-tokyo', '2027-03-19T16:00', 2 * H, '2027-03-23T10:00', 'substitute holiday for the Sunday equinox'],
  ])('%s: %s + %d ms -> %s (%s)', (id, opened, duration, due) => {
    const c = cal(id);
    const result = addBusinessTime(at(opened, c), duration, c);
    expect(wall(result, c)).toBe(due);
    expect(isWorkingTime(result, c)).toBe(true);
  });

  it('counts real hours across a DST change, not wall-clock hours', () => {
    const paris = cal('europe-paris');
    expect(addBusinessTime(at('2026-03-27T16:00', paris), 8 * H, paris).toISOString()).toBe('2026-03-30T14:00:00.000Z');
    expect(addBusinessTime(at('2026-10-23T16:00', paris), 8 * H, paris).toISOString()).toBe('2026-10-26T15:00:00.000Z');
  });

  it('skips whole years for long durations', () => {
    const paris = cal('europe-paris');
    // 2026 has 252 working days in Paris: 252 business days from the first one lands on 4 January 2027
    expect(wall(addBusinessTime(at('2026-01-01T00:00', paris), 252 * 8 * H, paris), paris)).toBe('2027-01-04T09:00');
  });

  it('rejects a negative, fractional or infinite duration and an invalid date', () => {
    const paris = cal('europe-paris');
    const t = at('2026-06-15T10:00', paris);
    expect(() => addBusinessTime(t, -1, paris)).toThrow(RangeError);
    expect(() => addBusinessTime(t, 0.5, paris)).toThrow(RangeError);
    expect(() => addBusinessTime(t, Infinity, paris)).toThrow(RangeError);
    expect(() => addBusinessTime(new Date(Number.NaN), 1, paris)).toThrow(RangeError);
    expect(() => addBusinessTime(new Date(Date.UTC(2400, 1, 1)), 1, paris)).toThrow(RangeError);
  });
});

describe('businessTimeBetween', () => {
  const paris = cal('europe-paris');
  it.each([
    ['2026-03-27T16:00', '2026-03-30T16:00', 8 * H, 'across the spring DST change'],
    ['2026-10-23T16:00', '2026-10-26T16:00', 8 * H, 'across the autumn DST change'],
    ['2026-06-15T00:00', '2026-06-16T00:00', 8 * H, 'one whole working day'],
    ['2026-06-15T12:00', '2026-06-15T14:00', 1 * H, 'half an hour before and after lunch'],
    ['2026-06-13T00:00', '2026-06-15T00:00', 0, 'a weekend'],
    ['2026-05-14T00:00', '2026-05-15T00:00', 0, 'a holiday'],
    ['2026-06-15T14:00', '2026-06-15T10:00', 0, 'b before a'],
  ])('%s -> %s = %d ms (%s)', (a, b, expected) => {
    expect(businessTimeBetween(at(a, paris), at(b, paris), paris)).toBe(expected);
  });

  it.each([
    ['europe-paris', 252],
    ['america-new-york', 250],
    ['asia-tokyo', 244],
    ['australia-sydney', 252],
  ])('%s has %d working days in 2026', (id, days) => {
    const c = cal(id);
    expect(businessTimeBetween(at('2026-01-01T00:00', c), at('2027-01-01T00:00', c), c)).toBe(days * 8 * H);
  });
});

describe('isWorkingTime and nextWorkingMoment', () => {
  const paris = cal('europe-paris');
  it.each([
    ['2026-06-15T09:00', true],
    ['2026-06-15T12:29', true],
    ['2026-06-15T12:30', false],
    ['2026-06-15T13:30', true],
    ['2026-06-15T18:00', false],
    ['2026-06-13T10:00', false],
    ['2026-05-14T10:00', false],
  ])('%s working: %s', (local, expected) => {
    expect(isWorkingTime(at(local, paris), paris)).toBe(expected);
  });

  it.each([
    ['2026-06-15T10:00', '2026-06-15T10:00'],
    ['2026-06-15T12:30', '2026-06-15T13:30'],
    ['2026-06-15T18:00', '2026-06-16T09:00'],
    ['2026-06-12T18:00', '2026-06-15T09:00'],
    ['2026-05-13T19:00', '2026-05-15T09:00'],
  ])('after %s the next working moment is %s', (local, expected) => {
    expect(wall(nextWorkingMoment(at(local, paris), paris), paris)).toBe(expected);
  });
});

describe('businessDayLength: the typical working day', () => {
  const calendar = (week: Partial<Record<Weekday, string[]>>): Calendar =>
    createCalendar({
      id: 'test',
      version: 1,
      timeZone: 'UTC',
      week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...week },
      holidays: [],
    });
  const nine = ['09:00-18:00'];
  const eight = ['09:00-17:00'];

  it('is 8 h in every shipped calendar', () => {
    for (const c of calendars.values()) expect(businessDayLength(c)).toBe(8 * H);
  });
  it('is the daily total most weekdays share', () => {
    expect(businessDayLength(calendar({ mon: eight, tue: eight, wed: eight, thu: eight, fri: ['09:00-15:00'] }))).toBe(
      8 * H,
    );
    expect(
      businessDayLength(calendar({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: ['09:00-13:00'] })),
    ).toBe(9 * H);
  });
  it('is the longer one on a tie', () => {
    expect(businessDayLength(calendar({ mon: eight, tue: eight, wed: ['09:00-15:00'], thu: ['09:00-15:00'] }))).toBe(
      8 * H,
    );
  });
});

describe('DST: working intervals follow the wall clock', () => {
  const length = (c: Calendar, day: string): number =>
    workingIntervals(at(`${day}T00:00`, c), at(`${day}T23:59:59.999`, c), c).reduce(
      (sum, i) => sum + i.end.getTime() - i.start.getTime(),
      0,
    );
  const allDay = (zone: string) => everyDay(`all-day-${zone.toLowerCase().replace('/', '-')}`, zone, ['00:00-24:00']);

  it.each([
    ['Europe/Paris', '2026-03-29', 23 * H, 'spring forward'],
    ['Europe/Paris', '2026-10-25', 25 * H, 'fall back'],
    ['America/New_York', '2026-03-08', 23 * H, 'spring forward'],
    ['America/New_York', '2026-11-01', 25 * H, 'fall back'],
    ['Australia/Sydney', '2026-04-05', 25 * H, 'DST ends'],
    ['Australia/Sydney', '2026-10-04', 23 * H, 'DST starts'],
    ['Asia/Tokyo', '2026-03-29', 24 * H, 'no DST'],
  ])('%s %s: a 00:00-24:00 day lasts %d ms (%s)', (zone, day, expected) => {
    const c = allDay(zone);
    // the last millisecond of the day is excluded by the window above; add it back
    expect(length(c, day) + 1).toBe(expected);
    const next = DateTime.fromISO(day, { zone }).plus({ days: 1 }).toJSDate();
    expect(businessTimeBetween(at(`${day}T00:00`, c), next, c)).toBe(expected);
  });

  it.each([
    ['01:00-04:00', '2026-03-29', 2 * H, 'spans the skipped hour: shrinks'],
    ['01:00-02:30', '2026-03-29', 1 * H, 'ends in the skipped hour: ends at the jump'],
    ['02:30-05:00', '2026-03-29', 2 * H, 'starts in the skipped hour: starts at the jump'],
    ['02:15-02:45', '2026-03-29', 0, 'wholly inside the skipped hour: vanishes'],
    ['01:00-04:00', '2026-10-25', 4 * H, 'spans the repeated hour: grows'],
    ['02:30-05:00', '2026-10-25', 3.5 * H, 'starts in the repeated hour: at its first occurrence'],
    ['00:00-02:30', '2026-10-25', 3.5 * H, 'ends in the repeated hour: at its last occurrence'],
  ])('Paris %s on %s lasts %d ms (%s)', (hours, day, expected) => {
    const c = everyDay('night-shift', 'Europe/Paris', [hours]);
    expect(businessTimeBetween(at(`${day}T00:00`, c), at(`${day}T12:00`, c), c)).toBe(expected);
  });

  it('a round-the-clock calendar measures real elapsed time', () => {
    const c = allDay('Europe/Paris');
    const saturdayNoon = at('2026-03-28T12:00', c);
    expect(addBusinessTime(saturdayNoon, 24 * H, c).getTime() - saturdayNoon.getTime()).toBe(24 * H);
    expect(wall(addBusinessTime(saturdayNoon, 24 * H, c), c)).toBe('2026-03-29T13:00');
  });

  it.each([
    ['America/Santiago', '2026-04-01T00:00:00Z', 'clocks go back at midnight'],
    ['America/Santiago', '2026-09-01T00:00:00Z', 'clocks go forward at midnight (00:00 does not exist)'],
    ['Australia/Lord_Howe', '2026-03-30T00:00:00Z', 'a half-hour DST change'],
    ['Pacific/Apia', '2011-12-25T00:00:00Z', 'a whole skipped day (30 December 2011)'],
    ['Europe/Paris', '2026-12-25T00:00:00Z', 'a year boundary'],
  ])('round the clock in %s from %s (%s): business time = elapsed time', (zone, from) => {
    const c = allDay(zone);
    const start = new Date(from);
    for (const hours of [1, 24, 48, 24 * 10, 24 * 30]) {
      const end = new Date(start.getTime() + hours * H);
      expect(businessTimeBetween(start, end, c)).toBe(hours * H);
      expect(addBusinessTime(start, hours * H, c).getTime()).toBe(end.getTime());
    }
  });
});
