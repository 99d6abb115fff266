import { IANAZone } from 'luxon';
import { InvalidCalendar } from './calendar.errors';
import { CalendarHolidays, Holiday, HolidayRulesFile, parseHolidays, show } from './holidays';
import { Timeline } from './timeline';

/**
 * Business calendars: a time zone, the working hours of each weekday, holidays (a list, or a
 * country's public holidays generated for any year, with the desk's own additions and removals).
 *
 * A calendar is built once from its JSON form (see docs/business-time.md for the file
 * format) by {@link createCalendar} or {@link parseCalendar}; both validate and throw
 * {@link InvalidCalendar} with a one-line message naming the source and the fault. The
 * result is immutable; it carries a private, lazily filled cache of its working intervals
 * per year, which is what makes the arithmetic fast (memoisation: no observable state).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One working interval of a day, in local wall-clock time; `end` may be `24:00`. */
export interface WorkingHours {
  readonly start: string;
  readonly end: string;
  /** minutes after local midnight */
  readonly startMinute: number;
  readonly endMinute: number;
}

/** The JSON form of a calendar, as stored in `config/calendars/<id>.json`. */
export interface CalendarFile {
  readonly id: string;
  /** recorded in events next to `id`, so a result can be recomputed with the same calendar */
  readonly version: number | string;
  readonly name?: string;
  readonly description?: string;
  /** an IANA time zone, e.g. `Europe/Paris` */
  readonly timeZone: string;
  /** every weekday, each a list of `"HH:MM-HH:MM"` in order; `[]` for a day off */
  readonly week: Readonly<Record<Weekday, readonly string[]>>;
  /** a list of `{date, name}`, or a country (and region) whose public holidays are generated */
  readonly holidays: readonly Holiday[] | HolidayRulesFile;
}

/** @internal the key of a calendar's precomputed timeline; not exported from the library */
export const TIMELINE: unique symbol = Symbol('business-time.timeline');

/** A validated, ready-to-use calendar. */
export interface Calendar {
  readonly id: string;
  readonly version: number | string;
  readonly name: string;
  readonly timeZone: string;
  readonly week: Readonly<Record<Weekday, readonly WorkingHours[]>>;
  /** where its holidays come from; `holidaysIn(year, calendar)` gives a year's dates */
  readonly holidays: CalendarHolidays;
  /** @internal */
  readonly [TIMELINE]: Timeline;
}

const FIELDS = ['id', 'version', 'name', 'description', 'timeZone', 'week', 'holidays'];
const REQUIRED = ['id', 'version', 'timeZone', 'week', 'holidays'];
const ID = /^[a-z0-9][a-z0-9._-]*$/;
const ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const RANGE = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/;

/** Builds a calendar from its JSON form, validating it (`source` names it in errors). */
export const createCalendar = (input: CalendarFile, source?: string): Calendar =>
  parseCalendar(input, source ?? `calendar "${String((input as { id?: unknown })?.id)}"`);

/** Validates untrusted JSON (e.g. a parsed file) and builds the calendar from it. */
export const parseCalendar = (raw: unknown, source: string): Calendar => {
  const fail = (fault: string): never => {
    throw new InvalidCalendar(source, fault);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('expected a JSON object');
  const file = raw as Record<string, unknown>;
  for (const field of REQUIRED) if (!(field in file)) fail(`missing field "${field}"`);
  for (const field of Object.keys(file)) {
    if (!FIELDS.includes(field)) fail(`unknown field "${field}" (expected ${FIELDS.join(', ')})`);
  }

  const { id, version, name, timeZone } = file;
  if (typeof id !== 'string' || !ID.test(id)) {
    fail(`id ${show(id)} must be lower-case letters, digits, ".", "_" or "-"`);
  }
  const versionOk =
    (typeof version === 'number' && Number.isSafeInteger(version) && version >= 0) ||
    (typeof version === 'string' && version.trim() !== '');
  if (!versionOk) fail(`version ${show(version)} must be a non-negative integer or a non-empty string`);
  if (name !== undefined && typeof name !== 'string') fail(`name ${show(name)} must be a string`);
  if (typeof timeZone !== 'string' || !ZONE.test(timeZone) || !IANAZone.isValidZone(timeZone)) {
    fail(`unknown time zone ${show(timeZone)} (expected an IANA name such as "Europe/Paris")`);
  }

  const week = parseWeek(file.week, fail);
  const holidays = parseHolidays(file.holidays, fail);
  const calendar = {
    id: id as string,
    version: version as number | string,
    name: (name as string | undefined) ?? (id as string),
    timeZone: timeZone as string,
    week,
    holidays: holidays.spec,
  };
  return Object.freeze({ ...calendar, [TIMELINE]: new Timeline(calendar.timeZone, week, holidays) });
};

const parseWeek = (raw: unknown, fail: (fault: string) => never): Record<Weekday, readonly WorkingHours[]> => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('week must be an object of weekdays');
  const days = raw as Record<string, unknown>;
  for (const key of Object.keys(days)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) {
      fail(`week: unknown weekday key "${key}" (expected ${WEEKDAYS.join(', ')})`);
    }
  }
  const week = {} as Record<Weekday, readonly WorkingHours[]>;
  for (const day of WEEKDAYS) {
    const list = days[day];
    if (list === undefined) fail(`week: missing field "${day}" (use [] for a day off)`);
    if (!Array.isArray(list)) fail(`week.${day} must be a list of "HH:MM-HH:MM" strings`);
    const hours: WorkingHours[] = [];
    (list as unknown[]).forEach((entry, i) => {
      const where = `week.${day}[${i}] ${show(entry)}`;
      const match = typeof entry === 'string' ? RANGE.exec(entry) : null;
      if (!match) return fail(`${where}: bad time format (expected "HH:MM-HH:MM", 00:00 to 24:00)`);
      const startMinute = minutes(match[1], match[2]);
      const endMinute = minutes(match[3], match[4]);
      if (startMinute === undefined || endMinute === undefined || startMinute === 1440) {
        return fail(`${where}: bad time format (hours 00-23, minutes 00-59; only an end may be 24:00)`);
      }
      if (endMinute <= startMinute) return fail(`${where}: end is not after start`);
      const previous = hours[hours.length - 1];
      if (previous && startMinute < previous.endMinute) {
        fail(`${where}: overlaps or comes before week.${day}[${i - 1}] "${previous.start}-${previous.end}"`);
      }
      const [start, end] = (entry as string).split('-');
      hours.push(Object.freeze({ start, end, startMinute, endMinute }));
    });
    week[day] = Object.freeze(hours);
  }
  if (WEEKDAYS.every((day) => week[day].length === 0)) fail('week: no working time on any day');
  return Object.freeze(week);
};

const minutes = (hh: string, mm: string): number | undefined => {
  const h = Number(hh);
  const m = Number(mm);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return undefined;
  return h * 60 + m;
};
