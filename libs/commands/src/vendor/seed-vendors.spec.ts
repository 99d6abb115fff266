import { EXAMPLE_VENDORS, VENDOR_DIRECTORY_STREAM } from '@app/case-domain';
import { ManualClock } from '@app/clock';
import { createEventStore, SqlEventStore, type EventStore, type EventStoreHandle } from '@app/event-store';
import { VendorDirectory } from '@app/routing';
import { testSla } from '../../../sla/src/testing/test-sla';
import { standaloneDoor } from '../command-door';
import { SeedVendors, VENDOR_SEEDER } from './seed-vendors';

describe('SeedVendors: the starting vendors, registered through the door when the log lacks them', () => {
  let handle: EventStoreHandle;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  /** a process: its own door (handlers, queues, cache) and directory over `store` */
  const process = (store: EventStore) => {
    const directory = new VendorDirectory(store);
    const door = standaloneDoor({ store, clock, sla: testSla(), surveyDelayMs: 0, directory });
    return { directory, seed: (vendors = EXAMPLE_VENDORS) => door.execute(new SeedVendors(vendors)) };
  };

  beforeEach(async () => {
    handle = await createEventStore();
  });
  afterEach(() => handle.store.close());

  it('seeds an empty directory once, even when two processes start together', async () => {
    const one = process(handle.store);
    const other = process(new SqlEventStore(handle.db));
    const seeded = await Promise.all([one.seed(), other.seed()]);
    expect(seeded.sort()).toEqual([0, EXAMPLE_VENDORS.length]);
    expect(await one.directory.list()).toEqual(EXAMPLE_VENDORS);
    expect(await one.seed()).toBe(0);
    const { events } = await handle.store.readStream(VENDOR_DIRECTORY_STREAM);
    expect(events).toHaveLength(EXAMPLE_VENDORS.length);
    expect(events.every((e) => e.type === 'VendorRegistered' && e.metadata.actor?.id === VENDOR_SEEDER.id)).toBe(true);
  });

  it('seeds only the vendors the log does not have, never overwriting one; two processes adding the same new one write it once', async () => {
    const one = process(handle.store);
    const other = process(new SqlEventStore(handle.db));
    const [north, south, east] = EXAMPLE_VENDORS;
    expect(await one.seed([north])).toBe(1);
    // a supervisor changed north-desk (as PUT /v1/vendors/north-desk does)
    const changed = { ...north, name: 'North Desk (Lyon)', languages: ['fr'] };
    await handle.store.appendToStream(
      VENDOR_DIRECTORY_STREAM,
      [{ type: 'VendorUpdated', data: { ...changed, at: clock.now().toISOString(), byId: 'sam' } }],
      1,
    );
    const file = [north, south, east];
    const seeded = await Promise.all([one.seed(file), other.seed(file)]);
    expect(seeded.sort()).toEqual([0, 2]);
    await other.directory.refresh();
    expect(await other.directory.list()).toEqual([changed, south, east]);
    const { events } = await handle.store.readStream(VENDOR_DIRECTORY_STREAM);
    expect(events.map((e) => `${e.type} ${(e.data as { id: string }).id}`)).toEqual([
      'VendorRegistered north-desk',
      'VendorUpdated north-desk',
      'VendorRegistered south-desk',
      'VendorRegistered east-desk',
    ]);
    expect(await one.seed(file)).toBe(0);
  });
});
