import Holidays from 'date-holidays';
import { MAX_YEAR, MIN_YEAR } from './timeline';

/**
 * A calendar's holidays: either a plain list in the file, or the public holidays of a country
 * (and region) generated for any year by the `date-holidays` package, plus the dates the file
 * adds (a desk's own closures) and minus the ones it removes. See docs/business-time.md.
 *
 * Pure computation: date-holidays computes the dates from its rules (Easter, n-th weekdays,
 * equinoxes, substitute days); it reads no file and no clock (the year is always given). Each
 * year is generated once per calendar and kept (memoisation, like the timeline's year blocks).
 */

/** A holiday: a local date (`YYYY-MM-DD`) in the calendar's time zone on which nobody works. */
export interface Holiday {
  readonly date: string;
  readonly name: string;
}

/** A generated holiday the calendar file takes out, and why. */
export interface HolidayRemoval {
  readonly date: string;
  readonly reason: string;
}

/** date-holidays' kinds of holiday; a calendar counts only the ones it names (`["public"]` by default). */
export const HOLIDAY_TYPES = ['public', 'bank', 'optional', 'school', 'observance'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];

/** The generated form of a calendar file's `holidays` field. */
export interface HolidayRulesFile {
  /** ISO 3166-1 alpha-2 country code, as date-holidays knows it (`FR`, `US`, `JP`, `AU`) */
  readonly country: string;
  /** a state or region of that country, as date-holidays knows it (`NSW` in `AU`) */
  readonly region?: string;
  /** which of date-holidays' types count; default `["public"]` */
  readonly types?: readonly HolidayType[];
  /**
   * when a holiday is moved to an observed day (date-holidays' substitute day), only the
   * observed day counts and the holiday's own date (a weekend day) is dropped
   */
  readonly observedOnly?: boolean;
  /** dates the desk does not work on top of the generated ones (company days off, closures) */
  readonly add?: readonly Holiday[];
  /** generated holidays the desk works on, each with its reason */
  readonly remove?: readonly HolidayRemoval[];
}

/** A calendar's holidays, validated. */
export interface CalendarHolidays {
  /** where the public holidays come from; absent when the file lists its holidays */
  readonly generated?: {
    readonly country: string;
    readonly region?: string;
    readonly types: readonly HolidayType[];
    readonly observedOnly: boolean;
  };
  /** the dates the file adds, or its whole list; sorted by date */
  readonly add: readonly Holiday[];
  /** generated holidays taken out; sorted by date */
  readonly remove: readonly HolidayRemoval[];
}

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;
const RULE_FIELDS = ['country', 'region', 'types', 'observedOnly', 'add', 'remove'];

/** The effective holidays of a calendar, per local year, memoised. */
export class HolidaySource {
  private readonly effective = new Map<number, readonly Holiday[]>();
  private readonly generatedYears = new Map<number, readonly Holiday[]>();

  constructor(readonly spec: CalendarHolidays) {}

  /** The holidays on local dates of `year`, sorted by date: generated, plus added, minus removed. */
  inYear(year: number): readonly Holiday[] {
    const known = this.effective.get(year);
    if (known) return known;
    checkYear(year);
    const prefix = `${year}-`;
    const removed = new Set(this.spec.remove.filter((r) => r.date.startsWith(prefix)).map((r) => r.date));
    const holidays = [
      ...this.generatedIn(year).filter((h) => !removed.has(h.date)),
      ...this.spec.add.filter((h) => h.date.startsWith(prefix)),
    ].sort(byDate);
    const frozen = Object.freeze(holidays);
    this.effective.set(year, frozen);
    return frozen;
  }

  /**
   * The generated holidays on local dates of `year` (none for a calendar that lists its
   * holidays), one per date (two on one date are named together), sorted. date-holidays lists
   * a year's holidays under that year (a substitute day too: the US list of 2027 holds
   * 31 December 2027, New Year's Day 2028 observed), so one year is read; with `observedOnly`
   * the years before and after are read too, to pair a substitute with its holiday across New
   * Year (that 1 January 2028 is dropped from 2028).
   */
  generatedIn(year: number): readonly Holiday[] {
    const known = this.generatedYears.get(year);
    if (known) return known;
    checkYear(year);
    const rules = this.spec.generated;
    let result: readonly Holiday[] = [];
    if (rules) {
      const around = (rules.observedOnly ? [year - 1, year, year + 1] : [year]).flatMap((y) => this.rawIn(y));
      const dropped = rules.observedOnly ? replacedBySubstitutes(around) : new Set<RawHoliday>();
      const byDay = new Map<string, string[]>();
      for (const h of around) {
        if (!h.date.startsWith(`${year}-`) || dropped.has(h)) continue;
        const names = byDay.get(h.date) ?? [];
        if (!names.includes(h.name)) names.push(h.name);
        byDay.set(h.date, names);
      }
      result = [...byDay].map(([date, names]) => Object.freeze({ date, name: names.join(' / ') })).sort(byDate);
    }
    const frozen = Object.freeze(result);
    this.generatedYears.set(year, frozen);
    return frozen;
  }

  private rawIn(year: number): readonly RawHoliday[] {
    return generatedYear(this.spec.generated!, year);
  }
}

/**
 * date-holidays' list of one year for one source (country, region, types), shared by every
 * calendar that names the same source (a calendar loaded again, two desks in one country):
 * memoisation of a pure computation, bounded by the 500 supported years per source.
 */
const generators = new Map<string, Holidays>();
const yearLists = new Map<string, readonly RawHoliday[]>();
const generatedYear = (rules: NonNullable<CalendarHolidays['generated']>, year: number): readonly RawHoliday[] => {
  const source = `${rules.country}/${rules.region ?? ''}/${rules.types.join(',')}`;
  const key = `${source}/${year}`;
  const known = yearLists.get(key);
  if (known) return known;
  let generator = generators.get(source);
  if (!generator) {
    generator = new Holidays(
      { country: rules.country, ...(rules.region === undefined ? {} : { state: rules.region }) },
      { types: [...rules.types] },
    );
    generators.set(source, generator);
  }
  const list = Object.freeze(
    generator.getHolidays(year).map((h) =>
      Object.freeze({
        // "YYYY-MM-DD hh:mm:ss": the local date in the country's rules, which the calendar
        // takes as a whole local day in its own time zone
        date: h.date.slice(0, 10),
        name: h.name,
        rule: h.rule,
        substitute: h.substitute === true,
      }),
    ),
  );
  yearLists.set(key, list);
  return list;
};

interface RawHoliday {
  readonly date: string;
  readonly name: string;
  readonly rule: string;
  readonly substitute: boolean;
}

/**
 * The holidays that a substitute day replaces: for each substitute, the holiday of the same
 * rule (its date part: `07-04` of `07-04 and if sunday then next monday …`, `11-11` of
 * `substitutes 11-11 if sunday …`) nearest to it, at most three days away.
 */
const replacedBySubstitutes = (list: readonly RawHoliday[]): Set<RawHoliday> => {
  const dropped = new Set<RawHoliday>();
  for (const sub of list) {
    if (!sub.substitute) continue;
    let best: RawHoliday | undefined;
    for (const h of list) {
      if (h.substitute || ruleKey(h.rule) !== ruleKey(sub.rule)) continue;
      const distance = Math.abs(dayNumber(h.date) - dayNumber(sub.date));
      if (distance > 3) continue;
      if (!best || distance < Math.abs(dayNumber(best.date) - dayNumber(sub.date))) best = h;
    }
    if (best) dropped.add(best);
  }
  return dropped;
};

const ruleKey = (rule: string): string =>
  rule
    .replace(/^substitutes\s+/, '')
    .split(/\s+(?:and|if|since|#)/)[0]
    .trim();

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY;
const byDate = (a: { date: string }, b: { date: string }): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

const checkYear = (year: number): void => {
  if (!(Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR)) {
    throw new RangeError(`holidays are computed for the years ${MIN_YEAR} to ${MAX_YEAR} only (asked: ${year})`);
  }
};

/** date-holidays' list of countries and regions, for validation (built once, on first use). */
let catalogue: Holidays | undefined;
const countries = (): Record<string, string> => (catalogue ??= new Holidays()).getCountries();
const regions = (country: string): Record<string, string> | undefined =>
  (catalogue ??= new Holidays()).getStates(country);

/**
 * Validates a calendar file's `holidays`: a list of `{date, name}` (the list form), or an
 * object naming a country (the generated form). `fail` throws the calendar's one-line error.
 */
export const parseHolidays = (raw: unknown, fail: (fault: string) => never): HolidaySource => {
  if (Array.isArray(raw))
    return new HolidaySource(Object.freeze({ add: parseList(raw, 'holidays', fail), remove: [] }));
  if (typeof raw !== 'object' || raw === null) {
    return fail(
      'holidays must be a list of { "date": "YYYY-MM-DD", "name": "..." } or { "country": "FR", ... } (generated)',
    );
  }
  const file = raw as Record<string, unknown>;
  for (const field of Object.keys(file)) {
    if (!RULE_FIELDS.includes(field)) fail(`holidays: unknown field "${field}" (expected ${RULE_FIELDS.join(', ')})`);
  }
  const { country, region, types = ['public'], observedOnly = false } = file;
  if (typeof country !== 'string' || !Object.hasOwn(countries(), country)) {
    fail(`holidays.country ${show(country)}: not a country date-holidays knows (expected a code such as "FR")`);
  }
  if (region !== undefined) {
    const known = regions(country as string);
    if (typeof region !== 'string' || !known || !Object.hasOwn(known, region)) {
      const some = known ? ` (expected one of ${Object.keys(known).join(', ')})` : ` (${country} has none)`;
      fail(`holidays.region ${show(region)}: not a region of ${country}${some}`);
    }
  }
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    types.some((t) => !(HOLIDAY_TYPES as readonly unknown[]).includes(t)) ||
    new Set(types).size !== types.length
  ) {
    fail(`holidays.types ${show(types)} must be a non-empty list of distinct ${HOLIDAY_TYPES.join(', ')}`);
  }
  if (typeof observedOnly !== 'boolean') fail(`holidays.observedOnly ${show(observedOnly)} must be true or false`);

  const add = file.add === undefined ? [] : parseList(file.add, 'holidays.add', fail);
  const remove = file.remove === undefined ? [] : parseRemovals(file.remove, fail);
  const source = new HolidaySource(
    Object.freeze({
      generated: Object.freeze({
        country: country as string,
        ...(region === undefined ? {} : { region: region as string }),
        types: Object.freeze([...(types as HolidayType[])]),
        observedOnly: observedOnly as boolean,
      }),
      add,
      remove,
    }),
  );

  // every removal takes out a generated holiday, and no addition repeats one: either would
  // be a typo, or the package's data has changed under the file
  const generatedOn = (date: string): Holiday | undefined =>
    source.generatedIn(Number(date.slice(0, 4))).find((h) => h.date === date);
  const removed = new Map<string, number>();
  if (Array.isArray(file.remove)) {
    (file.remove as Array<{ date: string }>).forEach(({ date }, i) => {
      removed.set(date, i);
      if (!generatedOn(date)) fail(`holidays.remove[${i}].date "${date}": not a generated holiday, nothing to remove`);
    });
  }
  if (Array.isArray(file.add)) {
    (file.add as Array<{ date: string }>).forEach(({ date }, i) => {
      if (removed.has(date))
        fail(`holidays.add[${i}].date "${date}": also removed (holidays.remove[${removed.get(date)}])`);
      const generated = generatedOn(date);
      if (generated) fail(`holidays.add[${i}].date "${date}": already a generated holiday (${generated.name})`);
    });
  }
  return source;
};

const parseList = (raw: unknown, where: string, fail: (fault: string) => never): readonly Holiday[] => {
  if (!Array.isArray(raw)) return fail(`${where} must be a list of { "date": "YYYY-MM-DD", "name": "..." }`);
  const seen = new Map<string, number>();
  const holidays = raw.map((entry: unknown, i): Holiday => {
    if (typeof entry !== 'object' || entry === null) return fail(`${where}[${i}] must be an object`);
    const { date, name, ...rest } = entry as Record<string, unknown>;
    if (date === undefined) fail(`${where}[${i}]: missing field "date"`);
    if (name === undefined) fail(`${where}[${i}]: missing field "name"`);
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) fail(`${where}[${i}]: unknown field "${extra}" (expected date, name)`);
    checkDate(date, `${where}[${i}].date`, fail);
    if (typeof name !== 'string' || name.trim() === '') fail(`${where}[${i}].name must be a non-empty string`);
    const first = seen.get(date as string);
    if (first !== undefined) fail(`${where}[${i}].date "${date}": duplicate holiday (also ${where}[${first}])`);
    seen.set(date as string, i);
    return Object.freeze({ date: date as string, name: name as string });
  });
  return Object.freeze([...holidays].sort(byDate));
};

const parseRemovals = (raw: unknown, fail: (fault: string) => never): readonly HolidayRemoval[] => {
  if (!Array.isArray(raw)) return fail('holidays.remove must be a list of { "date": "YYYY-MM-DD", "reason": "..." }');
  const seen = new Map<string, number>();
  const removals = raw.map((entry: unknown, i): HolidayRemoval => {
    const where = `holidays.remove[${i}]`;
    if (typeof entry !== 'object' || entry === null) return fail(`${where} must be an object`);
    const { date, reason, ...rest } = entry as Record<string, unknown>;
    if (date === undefined) fail(`${where}: missing field "date"`);
    if (reason === undefined) fail(`${where}: missing field "reason" (say why the desk works that day)`);
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) fail(`${where}: unknown field "${extra}" (expected date, reason)`);
    checkDate(date, `${where}.date`, fail);
    if (typeof reason !== 'string' || reason.trim() === '') fail(`${where}.reason must be a non-empty string`);
    const first = seen.get(date as string);
    if (first !== undefined) fail(`${where}.date "${date}": removed twice (also holidays.remove[${first}])`);
    seen.set(date as string, i);
    return Object.freeze({ date: date as string, reason: reason as string });
  });
  return Object.freeze([...removals].sort(byDate));
};

const checkDate = (date: unknown, where: string, fail: (fault: string) => never): void => {
  if (typeof date !== 'string' || !isValidDate(date)) {
    fail(`${where} ${show(date)}: bad date (expected an existing date YYYY-MM-DD, ${MIN_YEAR}-${MAX_YEAR})`);
  }
};

const isValidDate = (text: string): boolean => {
  const match = DATE.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

export const show = (value: unknown): string => {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
