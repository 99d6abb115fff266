import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCalendar, InvalidCalendar, loadCalendars } from '@app/business-time';

// Every bad calendar file must stop the boot with ONE line naming the file and the fault.
const valid = {
  id: 'desk',
  version: 3,
  timeZone: 'Europe/Paris',
  week: {
    mon: ['09:00-12:30', '13:30-18:00'],
    tue: ['09:00-18:00'],
    wed: ['09:00-18:00'],
    thu: ['09:00-18:00'],
    fri: ['09:00-17:00'],
    sat: [],
    sun: [],
  },
  holidays: [{ date: '2026-05-01', name: 'Fête du Travail' }],
};
type Edit = (file: Record<string, unknown> & typeof valid) => unknown;
const week =
  (changes: Record<string, unknown>, without?: string): Edit =>
  (f) => {
    const days: Record<string, unknown> = { ...f.week, ...changes };
    if (without) delete days[without];
    return { ...f, week: days };
  };

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'calendars-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes one file (JSON of `content`, or raw text) into a fresh directory; returns [dir, file]. */
let n = 0;
const write = (content: unknown, name = 'desk.json'): [string, string] => {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return [dir, file];
};

const loadError = (dir: string): InvalidCalendar => {
  try {
    loadCalendars(dir);
  } catch (error) {
    return error as InvalidCalendar;
  }
  throw new Error('expected loadCalendars to throw');
};

describe('loadCalendars: a bad file gives one line naming the file and the fault', () => {
  it.each<[string, Edit, RegExp]>([
    ['unknown time zone', (f) => ({ ...f, timeZone: 'Europe/Pariss' }), /unknown time zone "Europe\/Pariss"/],
    ['an offset is not a zone', (f) => ({ ...f, timeZone: '+01:00' }), /unknown time zone "\+01:00"/],
    [
      'overlapping intervals',
      week({ mon: ['09:00-13:00', '12:30-18:00'] }),
      /week\.mon\[1\] "12:30-18:00": overlaps or comes before week\.mon\[0\]/,
    ],
    [
      'unordered intervals',
      week({ tue: ['13:30-18:00', '09:00-12:30'] }),
      /week\.tue\[1\] "09:00-12:30": overlaps or comes before/,
    ],
    [
      'bad time format (no leading zero)',
      week({ wed: ['9:00-12:00'] }),
      /week\.wed\[0\] "9:00-12:00": bad time format/,
    ],
    ['bad time format (minutes)', week({ wed: ['09:60-12:00'] }), /week\.wed\[0\] "09:60-12:00": bad time format/],
    ['bad time format (hours)', week({ wed: ['09:00-25:00'] }), /week\.wed\[0\] "09:00-25:00": bad time format/],
    [
      'bad time format (24:00 as a start)',
      week({ wed: ['24:00-24:00'] }),
      /week\.wed\[0\] "24:00-24:00": bad time format/,
    ],
    [
      'bad time format (not a string)',
      week({ wed: [{ start: '09:00' }] }),
      /week\.wed\[0\] \{"start":"09:00"\}: bad time format/,
    ],
    ['end before start', week({ thu: ['18:00-09:00'] }), /week\.thu\[0\] "18:00-09:00": end is not after start/],
    ['empty interval', week({ thu: ['09:00-09:00'] }), /end is not after start/],
    [
      'bad date (no such day)',
      (f) => ({ ...f, holidays: [{ date: '2026-02-30', name: 'x' }] }),
      /holidays\[0\]\.date "2026-02-30": bad date/,
    ],
    [
      'bad date (format)',
      (f) => ({ ...f, holidays: [{ date: '01/05/2026', name: 'x' }] }),
      /holidays\[0\]\.date "01\/05\/2026": bad date/,
    ],
    [
      'duplicate holiday',
      (f) => ({ ...f, holidays: [...f.holidays, { date: '2026-05-01', name: 'again' }] }),
      /holidays\[1\]\.date "2026-05-01": duplicate holiday \(also holidays\[0\]\)/,
    ],
    [
      'a week with no working time',
      week({ mon: [], tue: [], wed: [], thu: [], fri: [] }),
      /week: no working time on any day/,
    ],
    ['unknown weekday key', week({ monday: ['09:00-17:00'] }), /week: unknown weekday key "monday"/],
    ['missing weekday', week({}, 'sat'), /week: missing field "sat" \(use \[\] for a day off\)/],
    ['missing field timeZone', ({ timeZone: _t, ...f }) => f, /missing field "timeZone"/],
    ['missing field holidays', ({ holidays: _h, ...f }) => f, /missing field "holidays"/],
    ['missing field id', ({ id: _i, ...f }) => f, /missing field "id"/],
    ['missing field version', ({ version: _v, ...f }) => f, /missing field "version"/],
    [
      'missing holiday name',
      (f) => ({ ...f, holidays: [{ date: '2026-05-01' }] }),
      /holidays\[0\]: missing field "name"/,
    ],
    ['unknown field', (f) => ({ ...f, timezone: 'Europe/Paris' }), /unknown field "timezone"/],
    ['bad version', (f) => ({ ...f, version: -1 }), /version -1 must be a non-negative integer or a non-empty string/],
    [
      'id not matching the file name',
      (f) => ({ ...f, id: 'other-desk' }),
      /id "other-desk" does not match the file name/,
    ],
    ['not an object', () => [1, 2], /expected a JSON object/],
    // the generated form: { "country", "region"?, "types"?, "observedOnly"?, "add"?, "remove"? }
    [
      'holidays neither a list nor an object',
      (f) => ({ ...f, holidays: 'FR' }),
      /holidays must be a list of .* or \{ "country": "FR", \.\.\. \}/,
    ],
    [
      'unknown country',
      (f) => ({ ...f, holidays: { country: 'XX' } }),
      /holidays\.country "XX": not a country date-holidays knows/,
    ],
    ['lower-case country', (f) => ({ ...f, holidays: { country: 'fr' } }), /holidays\.country "fr": not a country/],
    [
      'unknown region',
      (f) => ({ ...f, holidays: { country: 'AU', region: 'SYD' } }),
      /holidays\.region "SYD": not a region of AU \(expected one of ACT, NSW, .*\)/,
    ],
    [
      'unknown type',
      (f) => ({ ...f, holidays: { country: 'FR', types: ['public', 'national'] } }),
      /holidays\.types \["public","national"\] must be a non-empty list of distinct public, bank, optional, school, observance/,
    ],
    [
      'no type',
      (f) => ({ ...f, holidays: { country: 'FR', types: [] } }),
      /holidays\.types \[\] must be a non-empty list/,
    ],
    [
      'observedOnly not a boolean',
      (f) => ({ ...f, holidays: { country: 'US', observedOnly: 'yes' } }),
      /holidays\.observedOnly "yes" must be true or false/,
    ],
    [
      'unknown field in holidays',
      (f) => ({ ...f, holidays: { country: 'FR', state: 'X' } }),
      /holidays: unknown field "state"/,
    ],
    [
      'an addition that is already a generated holiday',
      (f) => ({ ...f, holidays: { country: 'FR', add: [{ date: '2027-05-17', name: 'Closed' }] } }),
      /holidays\.add\[0\]\.date "2027-05-17": already a generated holiday \(Lundi de Pentecôte\)/,
    ],
    [
      'a bad date in the additions',
      (f) => ({ ...f, holidays: { country: 'FR', add: [{ date: '2026-13-01', name: 'x' }] } }),
      /holidays\.add\[0\]\.date "2026-13-01": bad date/,
    ],
    [
      'a removal of a day that is no generated holiday',
      (f) => ({ ...f, holidays: { country: 'FR', remove: [{ date: '2026-05-15', reason: 'pont' }] } }),
      /holidays\.remove\[0\]\.date "2026-05-15": not a generated holiday, nothing to remove/,
    ],
    [
      'a removal without its reason',
      (f) => ({ ...f, holidays: { country: 'FR', remove: [{ date: '2026-05-25' }] } }),
      /holidays\.remove\[0\]: missing field "reason"/,
    ],
    [
      'a date both removed and added',
      (f) => ({
        ...f,
        holidays: {
          country: 'FR',
          remove: [{ date: '2026-05-25', reason: 'worked' }],
          add: [{ date: '2026-05-25', name: 'closed' }],
        },
      }),
      /holidays\.add\[0\]\.date "2026-05-25": also removed \(holidays\.remove\[0\]\)/,
    ],
  ])('%s', (_fault, edit, fault) => {
    const [dir, file] = write(edit({ ...valid }));
    const error = loadError(dir);
    expect(error).toBeInstanceOf(InvalidCalendar);
    expect(error.code).toBe('BUSINESS_TIME.INVALID_CALENDAR');
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    expect(error.message).toMatch(fault);
  });

  it('invalid JSON, even when the parser message spans lines', () => {
    const [dir, file] = write('{\n  "id": "desk",\n  "version": 1,\n}\n');
    const error = loadError(dir);
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toMatch(new RegExp(`^${escape(file)}: invalid JSON: `));
  });

  it('an empty or missing directory', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(loadError(empty).message).toBe(`${empty}: no calendar files (*.json) found`);
    const missing = join(root, 'missing');
    expect(loadError(missing).message).toMatch(new RegExp(`^${escape(missing)}: cannot read the calendar directory: `));
    expect(loadError(missing).message).not.toMatch(/[\r\n]/);
  });

  it('loads a good file, accepting a string version, and ignores other files', () => {
    const [dir] = write({ ...valid, version: '2026-06' });
    writeFileSync(join(dir, 'README.md'), 'not a calendar');
    const calendars = loadCalendars(dir);
    expect([...calendars.keys()]).toEqual(['desk']);
    const desk = calendars.get('desk')!;
    expect(desk.version).toBe('2026-06');
    expect(desk.name).toBe('desk');
    expect(desk.week.mon.map((h) => [h.start, h.end, h.startMinute, h.endMinute])).toEqual([
      ['09:00', '12:30', 540, 750],
      ['13:30', '18:00', 810, 1080],
    ]);
  });
});

describe('createCalendar validates too, naming the calendar', () => {
  it('throws the same one-line error', () => {
    expect(() => createCalendar({ ...valid, timeZone: 'Mars/Olympus' })).toThrow(
      'calendar "desk": unknown time zone "Mars/Olympus" (expected an IANA name such as "Europe/Paris")',
    );
  });
  it('accepts touching intervals and a day ending at 24:00', () => {
    const c = createCalendar({ ...valid, week: { ...valid.week, sat: ['12:00-18:00', '18:00-24:00'] } });
    expect(c.week.sat).toHaveLength(2);
  });
});

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
