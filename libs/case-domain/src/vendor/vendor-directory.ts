import type { Actor, Decider } from '../shared/decider';
import { DomainRuleViolation, type ViolationKind } from '../shared/domain-rule-violation';
import { isoInstant } from '../shared/validation';
import { parseVendor, type Vendor } from './vendor.model';

/**
 * The vendor directory (R16) as one small event-sourced aggregate: stream
 * `vendors-directory`. One stream, because routing needs every vendor at once and there are
 * a handful of them: reading it is one indexed read of a few events, and its version makes
 * concurrent registrations of the same id conflict instead of both winning.
 */
export const VENDOR_DIRECTORY_STREAM = 'vendors-directory';

export const VENDOR_EVENT_SCHEMA_VERSIONS = { VendorRegistered: 1, VendorUpdated: 1 } as const;
export type VendorEventType = keyof typeof VENDOR_EVENT_SCHEMA_VERSIONS;
export const VENDOR_EVENT_TYPES = Object.keys(VENDOR_EVENT_SCHEMA_VERSIONS) as VendorEventType[];

/** The vendor as it now stands, who recorded it and when. */
export type VendorEventData = Vendor & { readonly at: string; readonly byId: string };

export type VendorEvent =
  | { readonly type: 'VendorRegistered'; readonly schemaVersion: 1; readonly data: VendorEventData }
  | { readonly type: 'VendorUpdated'; readonly schemaVersion: 1; readonly data: VendorEventData };

/** The raw values of a vendor, as a request gives them (checked by `parseVendor`). */
export type VendorInput = { readonly [K in keyof Vendor]?: unknown };

export type VendorCommand =
  | { readonly type: 'RegisterVendor'; readonly vendor: VendorInput; readonly actor: Actor }
  | { readonly type: 'UpdateVendor'; readonly vendor: VendorInput; readonly actor: Actor }
  /** the starting vendors (VENDORS_FILE) at start: registers those the directory lacks, leaves the others as the log has them */
  | { readonly type: 'RegisterMissingVendors'; readonly vendors: readonly VendorInput[]; readonly actor: Actor };

/** What a supervisor sends about one vendor (the API's /v1/vendors). */
export type VendorChangeCommand = Extract<VendorCommand, { readonly type: 'RegisterVendor' | 'UpdateVendor' }>;

export interface VendorDirectoryState {
  /** by id, in the order they were registered */
  readonly vendors: ReadonlyMap<string, Vendor>;
  readonly version: number;
}

export const initialVendorDirectory: VendorDirectoryState = Object.freeze({ vendors: new Map(), version: 0 });

export class VendorAlreadyRegistered extends DomainRuleViolation {
  readonly code = 'VENDOR.ALREADY_REGISTERED';
  readonly kind: ViolationKind = 'conflict';
  constructor(readonly vendorId: string) {
    super(
      `Vendor ${vendorId} is already registered with other details; update it instead (PUT /v1/vendors/${vendorId}).`,
    );
  }
}

export class VendorNotFound extends DomainRuleViolation {
  readonly code = 'VENDOR.NOT_FOUND';
  readonly kind: ViolationKind = 'not-found';
  constructor(readonly vendorId: string) {
    super(`Vendor ${vendorId} does not exist.`);
  }
}

const sameVendor = (a: Vendor, b: Vendor): boolean =>
  a.name === b.name &&
  a.calendarId === b.calendarId &&
  a.languages.join() === b.languages.join() &&
  a.regions.join() === b.regions.join();

const event = (type: VendorEvent['type'], vendor: Vendor, at: string, byId: string): VendorEvent => ({
  type,
  schemaVersion: 1,
  data: { ...vendor, at, byId },
});

/**
 * Registering a vendor that exists with the same details does nothing (seeding twice is
 * safe); with other details it is refused. Updating one that does not exist is refused;
 * updating it to what it is does nothing. Registering the missing vendors registers each
 * vendor of the list the directory does not have (the first of an id the list repeats), and
 * never touches one it has, whatever the list says of it: the log wins over the file.
 */
export const decideVendor = (state: VendorDirectoryState, command: VendorCommand, now: Date): VendorEvent[] => {
  const at = isoInstant('now', now);
  if (command.type === 'RegisterMissingVendors') {
    const seen = new Set(state.vendors.keys());
    const events: VendorEvent[] = [];
    for (const input of command.vendors) {
      const vendor = parseVendor(input);
      if (seen.has(vendor.id)) continue;
      seen.add(vendor.id);
      events.push(event('VendorRegistered', vendor, at, command.actor.id));
    }
    return events;
  }
  const vendor = parseVendor(command.vendor);
  const existing = state.vendors.get(vendor.id);
  switch (command.type) {
    case 'RegisterVendor':
      if (!existing) return [event('VendorRegistered', vendor, at, command.actor.id)];
      if (sameVendor(existing, vendor)) return [];
      throw new VendorAlreadyRegistered(vendor.id);
    case 'UpdateVendor':
      if (!existing) throw new VendorNotFound(vendor.id);
      return sameVendor(existing, vendor) ? [] : [event('VendorUpdated', vendor, at, command.actor.id)];
  }
};

/** Total: an unknown event (a newer release's) only bumps the version. */
export const evolveVendorDirectory = (state: VendorDirectoryState, e: VendorEvent): VendorDirectoryState => {
  const version = state.version + 1;
  if (e.type !== 'VendorRegistered' && e.type !== 'VendorUpdated') return { ...state, version };
  const { id, name, languages, regions, calendarId } = e.data;
  const vendors = new Map(state.vendors);
  vendors.set(id, { id, name, languages, regions, calendarId });
  return { vendors, version };
};

export const vendorDirectoryDecider: Decider<VendorDirectoryState, VendorCommand, VendorEvent> = {
  decide: decideVendor,
  evolve: evolveVendorDirectory,
  initialState: initialVendorDirectory,
};

/**
 * The example vendors of the shipped `config/vendors.json` (the starting vendors of both
 * modes; a unit test keeps the two equal), one per shipped calendar, so a case in English
 * is answered round the clock and the local tokens of README.md (`north-desk` fr,en;
 * `south-desk` de) find their cases.
 */
export const EXAMPLE_VENDORS: readonly Vendor[] = Object.freeze([
  {
    id: 'north-desk',
    name: 'North Desk (Paris)',
    languages: ['fr', 'en'],
    regions: ['emea'],
    calendarId: 'europe-paris',
  },
  {
    id: 'south-desk',
    name: 'South Desk (Sydney)',
    languages: ['de', 'en'],
    regions: ['anz', 'emea'],
    calendarId: 'australia-sydney',
  },
  { id: 'east-desk', name: 'East Desk (Tokyo)', languages: ['ja', 'en'], regions: ['apac'], calendarId: 'asia-tokyo' },
  {
    id: 'west-desk',
    name: 'West Desk (New York)',
    languages: ['en', 'es'],
    regions: ['amer'],
    calendarId: 'america-new-york',
  },
]);
