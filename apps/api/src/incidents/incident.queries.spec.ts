import { incidentEvent, toIncidentStreamId } from '@app/case-domain';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { GetIncidentHandler, ListIncidentsHandler } from './incident.queries';

const STARTED = '2026-03-02T07:00:00.000Z';

const declared = (incidentId: string, title: string) =>
  incidentEvent('IncidentDeclared', {
    incidentId,
    at: STARTED,
    byId: 'super-1',
    title,
    services: ['sso'],
    startedAt: STARTED,
  });

describe('ListIncidentsHandler', () => {
  let handle: EventStoreHandle;

  beforeAll(async () => {
    handle = await createEventStore(); // PGlite in memory
  });
  afterAll(() => handle?.store.close());

  it('lists the incidents from their streams, newest first, folded to their current state, and nothing else', async () => {
    const { store } = handle;
    const list = new ListIncidentsHandler(store, new GetIncidentHandler(store));
    expect(await list.execute()).toEqual([]);

    await store.appendToStream(toIncidentStreamId('inc-a'), [declared('inc-a', 'first')], 'no-stream');
    await store.appendToStream('case-1', [{ type: 'Opened', data: { caseId: '1' } }], 'no-stream');
    await store.appendToStream(toIncidentStreamId('inc-b'), [declared('inc-b', 'second')], 'no-stream');
    await store.appendToStream(
      toIncidentStreamId('inc-a'),
      [
        incidentEvent('IncidentResolved', {
          incidentId: 'inc-a',
          at: '2026-03-02T09:00:00.000Z',
          byId: 'super-1',
          startedAt: STARTED,
          endedAt: '2026-03-02T09:00:00.000Z',
        }),
      ],
      1,
    );
    // another category whose name starts like it
    await store.appendToStream('incidents-x', [{ type: 'IncidentDeclared', data: {} }], 'no-stream');

    const views = await list.execute();
    expect(views.map((v) => [v.id, v.title, v.status, v.version])).toEqual([
      ['inc-b', 'second', 'ongoing', 1],
      ['inc-a', 'first', 'resolved', 2],
    ]);
  });
});
