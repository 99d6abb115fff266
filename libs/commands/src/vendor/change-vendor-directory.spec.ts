import { EXAMPLE_VENDORS, VendorAlreadyRegistered, type VendorCommand } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { VendorDirectory } from '@app/routing';
import { testSla } from '../../../sla/src/testing/test-sla';
import { standaloneDoor, type CommandDoor } from '../command-door';
import { ChangeVendorDirectory } from './change-vendor-directory';
import { SeedVendors } from './seed-vendors';

describe('ChangeVendorDirectory (R16)', () => {
  let handle: EventStoreHandle;
  let directory: VendorDirectory;
  let door: CommandDoor;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const sam = { id: 'sam', role: 'supervisor' };
  const register = (vendor: Extract<VendorCommand, { type: 'RegisterVendor' }>['vendor']) =>
    door.execute(new ChangeVendorDirectory({ command: { type: 'RegisterVendor', vendor, actor: sam }, actor: sam }));

  beforeEach(async () => {
    handle = await createEventStore();
    directory = new VendorDirectory(handle.store, 60_000);
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0, directory });
  });
  afterEach(() => handle.store.close());

  it('registers a vendor, which the directory the router reads shows at once; the seed then leaves it as it is', async () => {
    const vendor = {
      id: 'lisbon-desk',
      name: 'Lisbon',
      languages: ['pt'],
      regions: ['emea'],
      calendarId: 'europe-paris',
    };
    expect(await directory.list()).toEqual([]); // read once: it will not read again for a minute
    expect(await register(vendor)).toMatchObject({ vendor, changed: true, version: 1, position: expect.any(Number) });
    expect(await directory.get('LISBON-DESK')).toEqual(vendor);
    // a starting vendors file naming it with other details: the log wins, the file adds only what is missing
    const fromFile = { ...vendor, name: 'Lisbon (from the file)', languages: ['pt', 'es'] };
    expect(await door.execute(new SeedVendors([fromFile, EXAMPLE_VENDORS[0]]))).toBe(1);
    expect(await directory.get('lisbon-desk')).toEqual(vendor);
    expect((await directory.list()).map((v) => v.id)).toEqual(['lisbon-desk', EXAMPLE_VENDORS[0].id]);
  });

  it('answers a repeated registration with no change, and refuses the same id with other details', async () => {
    const vendor = { id: 'rome-desk', name: 'Rome', languages: ['it'], regions: ['emea'], calendarId: 'europe-paris' };
    await register(vendor);
    expect(await register(vendor)).toMatchObject({ changed: false, version: 1, position: undefined });
    await expect(register({ ...vendor, name: 'Roma' })).rejects.toBeInstanceOf(VendorAlreadyRegistered);
  });
});
