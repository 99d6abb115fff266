import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import {
  calendarIdForRegion,
  firstResponseDue,
  firstResponseTarget,
  InvalidSlaPolicy,
  loadCalendars,
  loadSlaPolicy,
  parseSlaPolicy,
  regionForTenant,
  resolutionTarget,
} from '@app/business-time';

// R10: first-response targets per priority, in business days; one business day by default.
const config = join(__dirname, '../../../config');
const calendars = loadCalendars(join(config, 'calendars'));
const policy = loadSlaPolicy(join(config, 'sla-policy.json'), calendars);
const paris = calendars.get('europe-paris')!;

describe('the shipped SLA policy', () => {
  it('targets one business day for every priority (the policy default)', () => {
    for (const p of ['P1', 'P2', 'P3', 'P4'] as const)
      expect(firstResponseTarget(policy, p, paris)).toBe(8 * 3_600_000);
  });

  it('gives a due time in business time: Friday 16:00 in Paris is due Monday 16:00', () => {
    const opened = DateTime.fromISO('2026-06-12T16:00', { zone: 'Europe/Paris' }).toJSDate();
    const due = DateTime.fromJSDate(firstResponseDue(opened, 'P1', policy, paris), { zone: 'Europe/Paris' });
    expect(due.toFormat("ccc yyyy-MM-dd'T'HH:mm")).toBe('Mon 2026-06-15T16:00');
  });

  it.each([
    ['emea', 'europe-paris'],
    ['anz', 'australia-sydney'],
    ['mars', 'europe-paris'],
    ['constructor', 'europe-paris'],
    [undefined, 'europe-paris'],
  ])('region %s uses calendar %s', (region, id) => {
    expect(calendarIdForRegion(policy, region)).toBe(id);
  });
});

describe('a bad SLA policy gives one line naming the file and the fault', () => {
  const good = JSON.parse(JSON.stringify(policy)) as Record<string, unknown>;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a missing priority', { ...good, firstResponseBusinessDays: { P1: 1, P2: 1, P4: 1 } }, /missing field "P3"/],
    ['a zero target', { ...good, firstResponseBusinessDays: { P1: 0, P2: 1, P3: 1, P4: 1 } }, /P1 must be a positive/],
    ['an unknown priority', { ...good, firstResponseBusinessDays: { P1: 1, P2: 1, P3: 1, P4: 1, P5: 2 } }, /"P5"/],
    [
      'an unknown calendar',
      { ...good, calendarByRegion: { emea: 'europe-lyon' } },
      /calendarByRegion\.emea: unknown calendar "europe-lyon"/,
    ],
    [
      'an unknown default calendar',
      { ...good, defaultCalendar: 'nowhere' },
      /defaultCalendar: unknown calendar "nowhere"/,
    ],
    ['a missing field', { ...good, defaultCalendar: undefined }, /missing field "defaultCalendar"/],
    [
      'a zero resolution target',
      { ...good, resolutionBusinessDays: { P1: 0 } },
      /resolutionBusinessDays\.P1 must be a positive/,
    ],
    [
      'a resolution target of an unknown priority',
      { ...good, resolutionBusinessDays: { P0: 1 } },
      /resolutionBusinessDays: unknown priority "P0"/,
    ],
    [
      'a tenant without a region',
      { ...good, regionByTenant: { 'acme.example': '' } },
      /regionByTenant\.acme\.example must be a region code/,
    ],
    ['a misspelt field', { ...good, regionsByTenant: {} }, /unknown field "regionsByTenant"/],
  ])('%s', (_name, content, fault) => {
    const file = join(dir, 'sla-policy.json');
    writeFileSync(file, JSON.stringify(content));
    let error: unknown;
    try {
      loadSlaPolicy(file, calendars);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSlaPolicy);
    const message = (error as Error).message;
    expect(message.startsWith(`${file}: `)).toBe(true);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toMatch(fault);
  });

  it('without calendars, names are not checked', () => {
    expect(parseSlaPolicy({ ...good, defaultCalendar: 'anything' }, 'inline').defaultCalendar).toBe('anything');
  });
});

describe('the optional parts of the policy', () => {
  const custom = parseSlaPolicy(
    {
      version: 'v2',
      firstResponseBusinessDays: { P1: 0.5, P2: 1, P3: 2, P4: 3 },
      resolutionBusinessDays: { P1: 2 },
      calendarByRegion: { amer: 'america-new-york' },
      regionByTenant: { 'acme.example': 'amer' },
      defaultCalendar: 'europe-paris',
    },
    'inline',
    calendars,
  );

  it('maps a tenant to its region, then to its calendar; an unknown tenant gets the default calendar', () => {
    expect(calendarIdForRegion(custom, regionForTenant(custom, 'acme.example'))).toBe('america-new-york');
    expect(regionForTenant(custom, 'globex.example')).toBeUndefined();
    expect(regionForTenant(custom, 'constructor')).toBeUndefined();
    expect(calendarIdForRegion(custom, regionForTenant(custom, 'globex.example'))).toBe('europe-paris');
  });

  it('gives a resolution target only where the policy sets one', () => {
    expect(resolutionTarget(custom, 'P1', paris)).toBe(16 * 3_600_000);
    expect(resolutionTarget(custom, 'P2', paris)).toBeUndefined();
    expect(resolutionTarget(policy, 'P1', paris)).toBeUndefined();
    expect(firstResponseTarget(custom, 'P1', paris)).toBe(4 * 3_600_000);
  });

  it('defaults both maps to empty when the file leaves them out', () => {
    const { resolutionBusinessDays: _r, regionByTenant: _t, ...minimal } = JSON.parse(JSON.stringify(policy));
    const parsed = parseSlaPolicy(minimal, 'inline', calendars);
    expect(parsed.resolutionBusinessDays).toEqual({});
    expect(parsed.regionByTenant).toEqual({});
  });
});
