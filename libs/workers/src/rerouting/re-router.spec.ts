import { loadCalendars } from '@app/business-time';
import { caseEvent, EXAMPLE_VENDORS, toCaseStreamId, type CaseEvent } from '@app/case-domain';
import { opened as openedEvent } from '@app/case-domain/testing';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { caseQueueProjection } from '@app/read-models';
import { CaseRouter, VendorDirectory } from '@app/routing';
import { join } from 'node:path';
import { ChangeVendorDirectory, SeedVendors, standaloneDoor, type CommandDoor } from '@app/commands';
import { testSla } from '../../../sla/src/testing/test-sla';
import { ReRouter } from './re-router';

const calendars = loadCalendars(join(__dirname, '..', '..', '..', '..', 'config', 'calendars'));

/** A case opened (and routed) at 09:00 UTC on Monday 2 March 2026. */
const opened = (caseId: string, language: string, vendorId: string | null, assigned = false): CaseEvent[] => {
  const base = { caseId, at: '2026-03-02T09:00:00.000Z', byId: 'x' };
  return [
    openedEvent({ ...base, tenant: 'acme.example', language, priority: 'P2' }),
    ...(vendorId === undefined
      ? []
      : [
          caseEvent('Routed', {
            ...base,
            vendorId,
            queueId: `${language}-P2`,
            reason: vendorId ? 'follow-the-sun' : 'no-eligible-vendor',
            trigger: 'opened',
            candidates: [],
          }),
        ]),
    ...(assigned ? [caseEvent('AgentAssigned', { ...base, agentId: 'eve', forced: false })] : []),
  ];
};

describe('ReRouter (R16: follow-the-sun when a shift ends)', () => {
  let handle: EventStoreHandle;
  let clock: ManualClock;
  let queue: ProjectionRunner;
  let reRouter: ReRouter;
  let door: CommandDoor;
  const ids = {
    waiting: '00000000-0000-4000-8000-000000000001',
    held: '00000000-0000-4000-8000-000000000002',
    german: '00000000-0000-4000-8000-000000000003',
    italian: '00000000-0000-4000-8000-000000000004',
  };
  const types = async (id: string) => (await handle.store.readStream(toCaseStreamId(id))).events.map((e) => e.type);

  beforeEach(async () => {
    handle = await createEventStore();
    clock = new ManualClock('2026-03-02T09:00:00Z');
    const directory = new VendorDirectory(handle.store);
    door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0, directory });
    await door.execute(new SeedVendors(EXAMPLE_VENDORS));
    reRouter = new ReRouter(door, handle.db, new CaseRouter((id) => calendars.get(id)), directory, clock);
    queue = new ProjectionRunner(caseQueueProjection, { store: handle.store, db: handle.db });
    await handle.store.appendToStream(
      toCaseStreamId(ids.waiting),
      opened(ids.waiting, 'en', 'north-desk'),
      'no-stream',
    );
    await handle.store.appendToStream(
      toCaseStreamId(ids.held),
      opened(ids.held, 'en', 'north-desk', true),
      'no-stream',
    );
    await handle.store.appendToStream(toCaseStreamId(ids.german), opened(ids.german, 'de', 'south-desk'), 'no-stream');
    await handle.store.appendToStream(toCaseStreamId(ids.italian), opened(ids.italian, 'it', null), 'no-stream');
    await queue.catchUp();
  });
  afterEach(() => handle.store.close());

  it('leaves cases alone while their vendor works, or while nobody better can take them', async () => {
    // the German case (south-desk is off shift) and the Italian one (no vendor) are looked at; neither can go elsewhere
    expect(await reRouter.tick()).toEqual({ examined: 2, rerouted: 0 });
    expect(await types(ids.waiting)).toEqual(['Opened', 'Routed']);
  });

  it('moves an unassigned case to a vendor at work when its vendor’s shift ends; a held one stays', async () => {
    clock.set('2026-03-02T18:30:00Z'); // Paris 19:30 (closed), New York 13:30 (open)
    expect(await reRouter.tick()).toEqual({ examined: 3, rerouted: 1 });
    const last = (await handle.store.readStream(toCaseStreamId(ids.waiting))).events.at(-1)!;
    expect(last).toMatchObject({
      type: 'Routed',
      data: {
        vendorId: 'west-desk',
        reason: 'follow-the-sun',
        trigger: 'shift-ended',
        previousVendorId: 'north-desk',
        at: '2026-03-02T18:30:00.000Z',
      },
      metadata: { actor: { id: 'system:router', role: 'system' }, tenant: 'acme.example' },
    });
    expect(await types(ids.held)).toEqual(['Opened', 'Routed', 'AgentAssigned']);
    // German: only south-desk speaks it; nowhere better to go
    expect(await types(ids.german)).toEqual(['Opened', 'Routed']);
    // the next pass, once the read model has caught up, changes nothing
    await queue.catchUp();
    expect(await reRouter.tick()).toMatchObject({ rerouted: 0 });
  });

  it('routes a case no vendor could take as soon as one can', async () => {
    const sam = { id: 'sam', role: 'supervisor' };
    await door.execute(
      new ChangeVendorDirectory({
        command: {
          type: 'RegisterVendor',
          vendor: { id: 'rome-desk', name: 'Rome', languages: ['it'], regions: ['emea'], calendarId: 'europe-paris' },
          actor: sam,
        },
        actor: sam,
      }),
    );
    expect(await reRouter.tick()).toMatchObject({ rerouted: 1 });
    expect((await handle.store.readStream(toCaseStreamId(ids.italian))).events.at(-1)?.data).toMatchObject({
      vendorId: 'rome-desk',
      trigger: 'unrouted',
      previousVendorId: null,
    });
  });
});
