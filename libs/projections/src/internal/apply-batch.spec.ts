import { randomUUID } from 'node:crypto';
import { toCaseStreamId } from '@app/case-domain';
import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import type { Projection } from '../projection';
import { ProjectionRunner } from '../projection.runner';
import { countingProjection } from '../testing/counting.projection';
import { caseStory, countRows } from '../testing/projection-test-kit';

/**
 * The batch path: a projection gets the batch's events at once (minus the parked ones); a
 * refused event is parked with the rest of its stream, whether the error names it or not
 * (when not, the runner applies the batch again one event at a time to find it).
 */
describe('ProjectionRunner with applyBatch', () => {
  let handle: EventStoreHandle;
  const runners: ProjectionRunner[] = [];
  const runner = (projection: Projection, batchSize = 50) => {
    const made = new ProjectionRunner(projection, {
      store: handle.store,
      db: handle.db,
      batchSize,
      onError: () => undefined,
    });
    runners.push(made);
    return made;
  };
  const batched = (refuse: (e: RecordedEvent) => boolean, named: boolean, calls: number[]) => {
    const base = countingProjection(`batched-${named ? 'named' : 'anonymous'}-${randomUUID().slice(0, 8)}`);
    return {
      ...base,
      applyBatch: async (tx, events, tables) => {
        calls.push(events.length);
        for (const event of events) {
          if (refuse(event)) throw Object.assign(new Error(`refused ${event.type}`), named ? { event } : {});
          await base.applyBatch(tx, [event], tables);
        }
      },
    } satisfies Projection;
  };

  beforeEach(async () => {
    handle = await createEventStore();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await handle.store.close();
  });

  it.each([true, false])(
    'parks a refused event and the rest of its stream, applies the others (error names the event: %s)',
    async (named) => {
      const good = randomUUID();
      const bad = randomUUID();
      await handle.store.appendToStream(toCaseStreamId(good), caseStory(good, 'assign', 'escalate'), 'no-stream');
      await handle.store.appendToStream(
        toCaseStreamId(bad),
        caseStory(bad, 'priority', 'escalate', 'resolve'),
        'no-stream',
      );
      const calls: number[] = [];
      const live = runner(batched((e) => e.type === 'PriorityChanged', named, calls));
      await live.catchUp();
      const counts = await countRows(handle.db);
      expect(counts.find((c) => c.streamId === toCaseStreamId(good))).toMatchObject({ applied: 3, lastVersion: 3 });
      expect(counts.find((c) => c.streamId === toCaseStreamId(bad))).toMatchObject({ applied: 1, lastVersion: 1 });
      expect(await live.parked()).toEqual({ streams: 1, events: 3 });
      // one call with the whole batch first; at last with the batch minus the parked stream
      expect(calls[0]).toBe(7);
      expect(calls.at(-1)).toBe(4);
    },
  );

  it('applies every event once, in batches, with the same result as one by one', async () => {
    for (let i = 0; i < 20; i += 1) {
      const id = randomUUID();
      await handle.store.appendToStream(
        toCaseStreamId(id),
        caseStory(id, 'assign', 'escalate', 'resolve'),
        'no-stream',
      );
    }
    const calls: number[] = [];
    await runner(
      batched(() => false, true, calls),
      25,
    ).catchUp();
    expect(calls).toEqual([25, 25, 25, 5]);
    for (const row of await countRows(handle.db)) expect(row.applied).toBe(row.lastVersion);
  });
});
