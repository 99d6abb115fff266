import { createEventStore, type EventStoreHandle } from './create-event-store';
import { ExpectedVersionConflict } from './event-store.errors';
import { handleCommand, type StreamDecider } from './handle-command';

// a tiny decider: a counter that refuses to go past a limit and ignores a zero step
type CounterEvent = { type: 'Added'; data: { by: number; at: string } };
type Add = { by: number };
const counter: StreamDecider<number, Add, CounterEvent> = {
  initialState: 0,
  evolve: (total, event) => total + event.data.by,
  decide: (total, { by }, now) => {
    if (total + by > 10) throw new Error(`would pass 10 (at ${total})`);
    return by === 0 ? [] : [{ type: 'Added', data: { by, at: now.toISOString() } }];
  },
};
const now = new Date('2026-03-02T09:30:00.000Z');
const eventMetadata = { actor: { id: 'agent-1', role: 'agent' }, correlationId: 'corr-1' };

describe('handleCommand', () => {
  let handle: EventStoreHandle;
  beforeAll(async () => {
    handle = await createEventStore();
  });
  afterAll(() => handle.store.close());

  it('folds the stream, decides, and appends with the metadata at the version it read', async () => {
    const { store } = handle;
    await handleCommand(store, 'counter-a', counter, { by: 3 }, { eventMetadata, now });
    const result = await handleCommand(store, 'counter-a', counter, { by: 4 }, { eventMetadata, now });
    expect(result).toMatchObject({
      newState: 7,
      nextExpectedVersion: 2,
      newEvents: [{ type: 'Added', data: { by: 4 } }],
    });
    const { events } = await store.readStream('counter-a');
    expect(events.map((e) => [e.data, e.metadata])).toEqual([
      [{ by: 3, at: now.toISOString() }, eventMetadata],
      [{ by: 4, at: now.toISOString() }, eventMetadata],
    ]);
  });

  it('appends nothing when the decider decides nothing', async () => {
    await handleCommand(handle.store, 'counter-b', counter, { by: 1 }, { eventMetadata, now });
    const result = await handleCommand(handle.store, 'counter-b', counter, { by: 0 }, { eventMetadata, now });
    expect(result).toEqual({ newEvents: [], newState: 1, nextExpectedVersion: 1 });
    expect(await handle.store.streamVersion('counter-b')).toBe(1);
  });

  it('refuses before deciding when the caller saw another version, and lets a decider refusal through', async () => {
    await handleCommand(handle.store, 'counter-c', counter, { by: 9 }, { eventMetadata, now });
    await expect(
      handleCommand(handle.store, 'counter-c', counter, { by: 1 }, { eventMetadata, now, expectedVersion: 0 }),
    ).rejects.toMatchObject({ constructor: ExpectedVersionConflict, expected: 0, actual: 1 });
    await expect(handleCommand(handle.store, 'counter-c', counter, { by: 5 }, { eventMetadata, now })).rejects.toThrow(
      'would pass 10 (at 9)',
    );
    expect(await handle.store.streamVersion('counter-c')).toBe(1);
  });

  it('fails with a version conflict when another writer appends between its read and its append', async () => {
    const { store } = handle;
    await handleCommand(store, 'counter-d', counter, { by: 1 }, { eventMetadata, now });
    const racing: StreamDecider<number, Add, CounterEvent> = {
      ...counter,
      decide: (total, command, at) => {
        void store.appendToStream('counter-d', [{ type: 'Added', data: { by: 1, at: 'meanwhile' } }], 1);
        return counter.decide(total, command, at);
      },
    };
    await expect(handleCommand(store, 'counter-d', racing, { by: 2 }, { eventMetadata, now })).rejects.toBeInstanceOf(
      ExpectedVersionConflict,
    );
    expect((await store.readStream('counter-d')).events.map((e) => (e.data as { at: string }).at)).toEqual([
      now.toISOString(),
      'meanwhile',
    ]);
  });
});
