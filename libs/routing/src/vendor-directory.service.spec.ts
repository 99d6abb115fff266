import { EXAMPLE_VENDORS, VENDOR_DIRECTORY_STREAM } from '@app/case-domain';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { VendorDirectory } from './vendor-directory.service';

describe('VendorDirectory', () => {
  let handle: EventStoreHandle;
  const now = new Date('2026-03-02T09:00:00Z');

  beforeEach(async () => {
    handle = await createEventStore();
  });
  afterEach(() => handle.store.close());

  it('seeds the starting vendors into an empty directory once, even when two processes start together', async () => {
    const one = new VendorDirectory(handle.store);
    const other = new VendorDirectory(new SqlEventStore(handle.db));
    const seeded = await Promise.all([one.seedMissing(now, EXAMPLE_VENDORS), other.seedMissing(now, EXAMPLE_VENDORS)]);
    expect(seeded.sort()).toEqual([0, EXAMPLE_VENDORS.length]);
    expect(await one.list()).toEqual(EXAMPLE_VENDORS);
    expect(await one.seedMissing(now, EXAMPLE_VENDORS)).toBe(0);
    expect(await handle.store.streamVersion(VENDOR_DIRECTORY_STREAM)).toBe(EXAMPLE_VENDORS.length);
  });

  it('seeds only the vendors the log does not have, never overwriting one; two processes adding the same new one write it once', async () => {
    const one = new VendorDirectory(handle.store);
    const other = new VendorDirectory(new SqlEventStore(handle.db));
    const [north, south, east] = EXAMPLE_VENDORS;
    expect(await one.seedMissing(now, [north])).toBe(1);
    // a supervisor changed north-desk (as PUT /v1/vendors/north-desk does)
    const changed = { ...north, name: 'North Desk (Lyon)', languages: ['fr'] };
    await handle.store.appendToStream(
      VENDOR_DIRECTORY_STREAM,
      [{ type: 'VendorUpdated', data: { ...changed, at: now.toISOString(), byId: 'sam' } }],
      1,
    );
    const file = [north, south, east];
    const seeded = await Promise.all([one.seedMissing(now, file), other.seedMissing(now, file)]);
    expect(seeded.sort()).toEqual([0, 2]);
    await other.refresh();
    expect(await other.list()).toEqual([changed, south, east]);
    const { events } = await handle.store.readStream(VENDOR_DIRECTORY_STREAM);
    expect(events.map((e) => `${e.type} ${(e.data as { id: string }).id}`)).toEqual([
      'VendorRegistered north-desk',
      'VendorUpdated north-desk',
      'VendorRegistered south-desk',
      'VendorRegistered east-desk',
    ]);
    expect(await one.seedMissing(now, file)).toBe(0);
  });

  it('is kept in memory from the log: another process’s change shows after maxAgeMs, with one read of what is new', async () => {
    let monotonicMs = 0;
    const directory = new VendorDirectory(handle.store, 50, () => monotonicMs);
    await directory.seedMissing(now, EXAMPLE_VENDORS);
    const reads = jest.spyOn(handle.store, 'readStream');
    await directory.list();
    await directory.list();
    expect(reads).not.toHaveBeenCalled(); // fresh: answered from memory
    const vendor = {
      id: 'lisbon-desk',
      name: 'Lisbon',
      languages: ['pt'],
      regions: ['emea'],
      calendarId: 'europe-paris',
    };
    await new SqlEventStore(handle.db).appendToStream(
      VENDOR_DIRECTORY_STREAM,
      [{ type: 'VendorRegistered', data: { ...vendor, at: now.toISOString(), byId: 'sam' } }],
      EXAMPLE_VENDORS.length,
    );
    monotonicMs += 50;
    expect((await directory.list()).map((v) => v.id)).not.toContain('lisbon-desk'); // not yet stale
    expect(reads).not.toHaveBeenCalled();
    monotonicMs += 1;
    expect((await directory.list()).map((v) => v.id)).toContain('lisbon-desk');
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads.mock.calls[0][1]).toEqual({ fromVersion: EXAMPLE_VENDORS.length + 1 });
  });
});
