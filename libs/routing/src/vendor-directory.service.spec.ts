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

  it('is kept in memory from the log: another process’s change shows after maxAgeMs, with one read of what is new', async () => {
    let monotonicMs = 0;
    const directory = new VendorDirectory(handle.store, 50, () => monotonicMs);
    await handle.store.appendToStream(
      VENDOR_DIRECTORY_STREAM,
      EXAMPLE_VENDORS.map((vendor) => ({
        type: 'VendorRegistered',
        data: { ...vendor, at: now.toISOString(), byId: 'sam' },
      })),
      'no-stream',
    );
    await directory.refresh();
    expect(await directory.list()).toEqual(EXAMPLE_VENDORS);
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
