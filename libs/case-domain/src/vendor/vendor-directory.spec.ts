import { deciderSpec } from '@app/testing';
import { InvalidCommand } from '../shared/domain-rule-violation';
import {
  EXAMPLE_VENDORS,
  VendorAlreadyRegistered,
  vendorDirectoryDecider,
  VendorNotFound,
  type VendorCommand,
  type VendorEvent,
} from './vendor-directory';
import { parseVendor, speaks, type Vendor } from './vendor.model';

const given = deciderSpec(vendorDirectoryDecider);
const supervisor = { id: 'sam', role: 'supervisor' };
const AT = '2026-03-02T09:30:00.000Z';
const north: Vendor = {
  id: 'north-desk',
  name: 'North Desk',
  languages: ['fr', 'en'],
  regions: ['emea'],
  calendarId: 'europe-paris',
};

const register = (vendor: Partial<Record<keyof Vendor, unknown>> = north): VendorCommand => ({
  type: 'RegisterVendor',
  vendor,
  actor: supervisor,
});
const update = (vendor: Partial<Record<keyof Vendor, unknown>>): VendorCommand => ({
  type: 'UpdateVendor',
  vendor,
  actor: supervisor,
});
const registered = (vendor: Vendor = north): VendorEvent => ({
  type: 'VendorRegistered',
  schemaVersion: 1,
  data: { ...vendor, at: AT, byId: 'sam' },
});

describe('the vendor directory (R16)', () => {
  it('registers a vendor, normalising what it was given', () =>
    given([])
      .when(register({ ...north, id: ' North-Desk ', languages: ['FR', 'en', 'fr'], regions: ['EMEA'] }))
      .then([registered()]));

  it('does nothing when the same vendor is registered again (seeding twice is safe)', () =>
    given([registered()]).when(register()).thenNothingHappened());

  it('refuses to register an id again with other details', () =>
    given([registered()])
      .when(register({ ...north, name: 'Other' }))
      .thenThrows(VendorAlreadyRegistered));

  it('updates a vendor, and does nothing when nothing changes', () => {
    given([registered()])
      .when(update({ ...north, languages: ['fr', 'en', 'de'] }))
      .then([
        {
          type: 'VendorUpdated',
          schemaVersion: 1,
          data: { ...north, languages: ['fr', 'en', 'de'], at: AT, byId: 'sam' },
        },
      ]);
    given([registered()]).when(update(north)).thenNothingHappened();
    given([]).when(update(north)).thenThrows(VendorNotFound);
  });

  it('registers the missing starting vendors only, never touching one the log has, whatever the file says', () => {
    const south: Vendor = { ...north, id: 'south-desk', name: 'South Desk', calendarId: 'australia-sydney' };
    const seeder = { id: 'system:vendor-seed', role: 'system' };
    const missing = (vendors: Partial<Record<keyof Vendor, unknown>>[]): VendorCommand => ({
      type: 'RegisterMissingVendors',
      vendors,
      actor: seeder,
    });
    given([registered()])
      .when(missing([{ ...north, name: 'North (file)' }, south, { ...south, name: 'South again' }]))
      .then([{ type: 'VendorRegistered', schemaVersion: 1, data: { ...south, at: AT, byId: seeder.id } }]);
    given([registered(), registered(south)])
      .when(missing([north, south]))
      .thenNothingHappened();
    given([])
      .when(missing([north, { ...south, languages: [] }]))
      .thenThrows(InvalidCommand);
  });

  it.each<[string, Partial<Record<keyof Vendor, unknown>>]>([
    ['an id with spaces', { id: 'north desk' }],
    ['no name', { name: ' ' }],
    ['no language', { languages: [] }],
    ['a language that is not a code', { languages: ['French'] }],
    ['regions that are not a list', { regions: 'emea' }],
    ['a calendar id with a slash', { calendarId: '../etc' }],
  ])('refuses %s', (_what, bad) =>
    given([])
      .when(register({ ...north, ...bad }))
      .thenThrows(InvalidCommand),
  );

  it('folds the directory in registration order, updates in place', () => {
    const state = [registered(), registered({ ...north, id: 'b-desk' })].reduce(
      vendorDirectoryDecider.evolve,
      vendorDirectoryDecider.initialState,
    );
    expect([...state.vendors.keys()]).toEqual(['north-desk', 'b-desk']);
    expect(state.version).toBe(2);
  });

  it('ships example vendors that are valid and cover the README tokens (north-desk fr,en; south-desk de)', () => {
    for (const vendor of EXAMPLE_VENDORS) expect(parseVendor(vendor)).toEqual(vendor);
    const byId = new Map(EXAMPLE_VENDORS.map((v) => [v.id, v]));
    expect(speaks(byId.get('north-desk')!.languages, 'fr')).toBe(true);
    expect(speaks(byId.get('south-desk')!.languages, 'de')).toBe(true);
    // French goes to north-desk only, so its agents always see French cases
    expect(EXAMPLE_VENDORS.filter((v) => speaks(v.languages, 'fr')).map((v) => v.id)).toEqual(['north-desk']);
  });
});
