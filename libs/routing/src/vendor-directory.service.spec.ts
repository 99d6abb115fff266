import { EXAMPLE_VENDORS, VENDOR_DIRECTORY_STREAM, VendorAlreadyRegistered } from '@app/case-domain';
import { createEventStore, SqlEventStore, type EventStoreHandle } from '@app/event-store';
import { VendorDirectory } from './vendor-directory.service';

describe('VendorDirectory', () => {
  let handle: EventStoreHandle;
  const now = new Date('2026-03-02T09:00:00Z');
  const supervisor = { actor: { id: 'sam', role: 'supervisor' } };

  beforeEach(async () => {
    handle = await createEventStore();
  });
  afterEach(() => handle.store.close());

  it('seeds the example vendors into an empty directory once, even when two processes start together', async () => {
    const one = new VendorDirectory(handle.store);
    const other = new VendorDirectory(new SqlEventStore(handle.db));
    const seeded = await Promise.all([one.seedIfEmpty(now), other.seedIfEmpty(now)]);
    expect(seeded.sort()).toEqual([0, EXAMPLE_VENDORS.length]);
    expect(await one.list()).toEqual(EXAMPLE_VENDORS);
    expect(await one.seedIfEmpty(now)).toBe(0);
    expect(await handle.store.streamVersion(VENDOR_DIRECTORY_STREAM)).toBe(EXAMPLE_VENDORS.length);
  });

  it('never seeds a directory a supervisor has started', async () => {
    const directory = new VendorDirectory(handle.store);
    const vendor = {
      id: 'lisbon-desk',
      name: 'Lisbon',
      languages: ['pt'],
      regions: ['emea'],
      calendarId: 'europe-paris',
    };
    const written = await directory.execute(
      { type: 'RegisterVendor', vendor, actor: supervisor.actor },
      supervisor,
      now,
    );
    expect(written).toMatchObject({ vendor, changed: true, version: 1, position: expect.any(Number) });
    expect(await directory.seedIfEmpty(now)).toBe(0);
    expect((await directory.list()).map((v) => v.id)).toEqual(['lisbon-desk']);
    expect(await directory.get('LISBON-DESK')).toEqual(vendor);
  });

  it('answers a repeated registration with no change, and refuses the same id with other details', async () => {
    const directory = new VendorDirectory(handle.store);
    const vendor = { id: 'rome-desk', name: 'Rome', languages: ['it'], regions: ['emea'], calendarId: 'europe-paris' };
    await directory.execute({ type: 'RegisterVendor', vendor, actor: supervisor.actor }, supervisor, now);
    const again = await directory.execute({ type: 'RegisterVendor', vendor, actor: supervisor.actor }, supervisor, now);
    expect(again).toMatchObject({ changed: false, version: 1, position: undefined });
    await expect(
      directory.execute(
        { type: 'RegisterVendor', vendor: { ...vendor, name: 'Roma' }, actor: supervisor.actor },
        supervisor,
        now,
      ),
    ).rejects.toBeInstanceOf(VendorAlreadyRegistered);
  });
});
