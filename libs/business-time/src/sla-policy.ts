import { addBusinessTime, businessDays } from './business-time';
import type { Calendar } from './calendar';
import { oneLine } from './calendar.errors';

/**
 * The first-response SLA policy (R10, docs/domain-model.md): a target per priority, in
 * business days of the case's calendar ("one business day" for all, by default), and which
 * calendar applies to a customer region. Stored in `config/sla-policy.json`; its `version`
 * is recorded in events next to the calendar's, so that a due time can be recomputed.
 */

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface SlaPolicy {
  readonly version: number | string;
  /** first-response target per priority, in business days (may be fractional, e.g. 0.5) */
  readonly firstResponseBusinessDays: Readonly<Record<Priority, number>>;
  /**
   * resolution target per priority, in business days of the case's calendar, counted while
   * the case is with the agents (paused while it waits on the customer); a priority left
   * out has none. Optional: R10 sets only the first-response target.
   */
  readonly resolutionBusinessDays: Readonly<Partial<Record<Priority, number>>>;
  /** calendar id per customer region (lower-case, as in principals' `regions`) */
  readonly calendarByRegion: Readonly<Record<string, string>>;
  /**
   * customer region per tenant (the organisation's domain, e.g. `acme.example`): support
   * admins' tokens carry no region, so the policy says where each customer is. Optional.
   */
  readonly regionByTenant: Readonly<Record<string, string>>;
  /** the calendar for a region the map does not name */
  readonly defaultCalendar: string;
}

/** An unusable SLA policy file; the message is one line, `<source>: <fault>`. */
export class InvalidSlaPolicy extends Error {
  readonly code = 'BUSINESS_TIME.INVALID_SLA_POLICY';
  readonly retriable = false;
  constructor(
    readonly source: string,
    readonly fault: string,
  ) {
    super(oneLine(`${source}: ${fault}`));
    this.name = 'InvalidSlaPolicy';
  }
}

const FIELDS = [
  'version',
  'description',
  'firstResponseBusinessDays',
  'resolutionBusinessDays',
  'calendarByRegion',
  'regionByTenant',
  'defaultCalendar',
];
const OPTIONAL = ['description', 'resolutionBusinessDays', 'regionByTenant'];

/** Validates a parsed policy; with `calendars`, also checks that every calendar it names exists. */
export const parseSlaPolicy = (raw: unknown, source: string, calendars?: ReadonlyMap<string, Calendar>): SlaPolicy => {
  const fail = (fault: string): never => {
    throw new InvalidSlaPolicy(source, fault);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(raw)) return fail('expected a JSON object');
  for (const field of FIELDS.filter((f) => !OPTIONAL.includes(f)))
    if (!(field in raw)) fail(`missing field "${field}"`);
  for (const field of Object.keys(raw)) if (!FIELDS.includes(field)) fail(`unknown field "${field}"`);
  const { version, firstResponseBusinessDays: targets, calendarByRegion: regions, defaultCalendar } = raw;
  if (!(
    (typeof version === 'number' && Number.isSafeInteger(version) && version >= 0) ||
    typeof version === 'string'
  )) {
    fail('version must be a non-negative integer or a string');
  }
  if (!isObject(targets)) return fail('firstResponseBusinessDays must be an object { "P1": 1, ... }');
  for (const p of PRIORITIES) {
    const days = targets[p];
    if (days === undefined) fail(`firstResponseBusinessDays: missing field "${p}"`);
    if (typeof days !== 'number' || !(days > 0) || !Number.isFinite(days)) {
      fail(`firstResponseBusinessDays.${p} must be a positive number of business days`);
    }
  }
  for (const key of Object.keys(targets)) {
    if (!(PRIORITIES as readonly string[]).includes(key)) fail(`firstResponseBusinessDays: unknown priority "${key}"`);
  }
  const resolution = raw.resolutionBusinessDays ?? {};
  if (!isObject(resolution)) return fail('resolutionBusinessDays must be an object { "P1": 2, ... }');
  for (const [p, days] of Object.entries(resolution)) {
    if (!(PRIORITIES as readonly string[]).includes(p)) fail(`resolutionBusinessDays: unknown priority "${p}"`);
    if (typeof days !== 'number' || !(days > 0) || !Number.isFinite(days)) {
      fail(`resolutionBusinessDays.${p} must be a positive number of business days`);
    }
  }
  const tenants = raw.regionByTenant ?? {};
  if (!isObject(tenants)) return fail('regionByTenant must be an object { "<tenant>": "<region>" }');
  for (const [tenant, region] of Object.entries(tenants)) {
    if (typeof region !== 'string' || region === '') fail(`regionByTenant.${tenant} must be a region code`);
  }
  if (!isObject(regions)) return fail('calendarByRegion must be an object { "<region>": "<calendar id>" }');
  const named = { ...regions, '(defaultCalendar)': defaultCalendar };
  for (const [region, id] of Object.entries(named)) {
    const where = region === '(defaultCalendar)' ? 'defaultCalendar' : `calendarByRegion.${region}`;
    if (typeof id !== 'string' || id === '') fail(`${where} must be a calendar id`);
    if (calendars && !calendars.has(id as string)) fail(`${where}: unknown calendar "${id}"`);
  }
  return Object.freeze({
    version: version as number | string,
    firstResponseBusinessDays: Object.freeze({ ...(targets as Record<Priority, number>) }),
    resolutionBusinessDays: Object.freeze({ ...(resolution as Partial<Record<Priority, number>>) }),
    calendarByRegion: Object.freeze({ ...(regions as Record<string, string>) }),
    regionByTenant: Object.freeze({ ...(tenants as Record<string, string>) }),
    defaultCalendar: defaultCalendar as string,
  });
};

/** The calendar id that applies to a customer region. */
export const calendarIdForRegion = (policy: SlaPolicy, region: string | undefined): string =>
  (region !== undefined && Object.hasOwn(policy.calendarByRegion, region) && policy.calendarByRegion[region]) ||
  policy.defaultCalendar;

/** The customer region of a tenant, as the policy maps it; undefined when it does not. */
export const regionForTenant = (policy: SlaPolicy, tenant: string | undefined): string | undefined =>
  tenant !== undefined && Object.hasOwn(policy.regionByTenant, tenant) ? policy.regionByTenant[tenant] : undefined;

/** The resolution target of a priority in ms of business time, or undefined when the policy sets none. */
export const resolutionTarget = (policy: SlaPolicy, priority: Priority, calendar: Calendar): number | undefined => {
  const days = Object.hasOwn(policy.resolutionBusinessDays, priority)
    ? policy.resolutionBusinessDays[priority]
    : undefined;
  return days === undefined ? undefined : businessDays(days, calendar);
};

/** The first-response target of a priority, in ms of business time in `calendar`. */
export const firstResponseTarget = (policy: SlaPolicy, priority: Priority, calendar: Calendar): number =>
  businessDays(policy.firstResponseBusinessDays[priority], calendar);

/**
 * When the first response is due: `openedAt` plus the target in business time. Pauses
 * (waiting on the customer) are the caller's: on resuming, the due time is
 * `addBusinessTime(resumedAt, target - businessTimeUsedSoFar, calendar)`.
 */
export const firstResponseDue = (openedAt: Date, priority: Priority, policy: SlaPolicy, calendar: Calendar): Date =>
  addBusinessTime(openedAt, firstResponseTarget(policy, priority, calendar), calendar);
