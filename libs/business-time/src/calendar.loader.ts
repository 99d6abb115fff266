// The one place in this library that does I/O: it reads the configuration files at boot and
// hands validated, pure values to the arithmetic. Kept apart so that everything else stays
// pure (docs/architecture.md, "Layers"); hence the lint exception for `fs` below.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Calendar, parseCalendar } from './calendar';
import { InvalidCalendar, oneLine } from './calendar.errors';
import { InvalidSlaPolicy, parseSlaPolicy, SlaPolicy } from './sla-policy';

/**
 * Reads every `*.json` file of `dir` (one calendar per support desk or region, named
 * `<id>.json`), validates each and returns the calendars by id. Synchronous: it runs once at
 * boot (e.g. in a Nest `useFactory`). Any fault throws {@link InvalidCalendar} with a one-line
 * message `<dir>/<file>.json: <fault>`; the first bad file stops the load.
 */
export const loadCalendars = (dir: string): ReadonlyMap<string, Calendar> => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    throw new InvalidCalendar(dir, `cannot read the calendar directory: ${oneLine(describe(error))}`);
  }
  if (names.length === 0) throw new InvalidCalendar(dir, 'no calendar files (*.json) found');
  const calendars = new Map<string, Calendar>();
  for (const name of names.sort()) {
    const calendar = loadCalendarFile(join(dir, name));
    calendars.set(calendar.id, calendar);
  }
  return calendars;
};

/** Reads and validates one calendar file; its `id` must match the file name (`<id>.json`). */
export const loadCalendarFile = (file: string): Calendar => {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'invalid JSON' : 'cannot read the file';
    throw new InvalidCalendar(file, `${reason}: ${oneLine(describe(error))}`);
  }
  const calendar = parseCalendar(raw, file);
  const expected = basename(file, '.json');
  if (calendar.id !== expected) {
    throw new InvalidCalendar(file, `id "${calendar.id}" does not match the file name (expected "${expected}")`);
  }
  return calendar;
};

/**
 * Reads and validates the SLA policy file (e.g. `config/sla-policy.json`); with `calendars`,
 * every calendar it names must exist. Faults throw {@link InvalidSlaPolicy} (one line).
 */
export const loadSlaPolicy = (file: string, calendars?: ReadonlyMap<string, Calendar>): SlaPolicy => {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'invalid JSON' : 'cannot read the file';
    throw new InvalidSlaPolicy(file, `${reason}: ${oneLine(describe(error))}`);
  }
  return parseSlaPolicy(raw, file, calendars);
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
