import { PRIORITIES } from '@app/case-domain';
import { deskHistory, recorded as ev } from '@app/case-domain/testing';
import { ManualClock } from '@app/clock';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import {
  caseQueueProjection,
  compareQueued,
  evolveQueuedCase,
  isQueued,
  listQueue,
  type QueuedCase,
  type QueueInput,
} from '@app/read-models';
import { appendHistory } from '@app/testing';
import { readQueueAsOf } from './audit-log.reader';

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;
const shown = ({ version: _version, ...rest }: QueuedCase) => rest;

describe('a queue as of a moment follows the routing (R4, R16), replayed from the log', () => {
  let handle: EventStoreHandle;
  const clock = new ManualClock(at('09:00'));
  const append = async (
    streamId: string,
    event: Parameters<EventStoreHandle['store']['appendToStream']>[1][number],
  ) => {
    clock.set((event.data as { at: string }).at);
    await handle.store.appendToStream(streamId, [event], 'any');
  };
  const queue = (asOf: string, vendor?: string) => readQueueAsOf(handle.db, 'fr-P2', new Date(asOf), { vendor });

  beforeAll(async () => {
    handle = await createEventStore({ clock });
    await append('case-a', ev.opened('a', at('09:00')));
    await append('case-a', ev.routed('a', at('09:00'), 'north-desk'));
    await append('case-b', ev.opened('b', at('09:05')));
    await append('case-b', ev.routed('b', at('09:05'), null));
    // north-desk's shift ends with case a unassigned: re-routed to south-desk
    await append('case-a', ev.routed('a', at('10:00'), 'south-desk', 'north-desk'));
  });
  afterAll(() => handle.store.close());

  it('shows a case routed to vendor X with vendor X, and in X’s agents’ queue only', async () => {
    const before = await queue(at('09:30'));
    expect(before.cases.map((c) => [c.caseId, c.vendorId, c.routed])).toEqual([
      ['a', 'north-desk', true],
      ['b', null, true],
    ]);
    expect((await queue(at('09:30'), 'north-desk')).cases.map((c) => c.caseId)).toEqual(['a']);
    expect(await queue(at('09:30'), 'south-desk')).toMatchObject({ vendor: 'south-desk', cases: [] });
  });

  it('reflects the re-routing as of the later moment, and not before it', async () => {
    expect((await queue('2026-03-02T09:59:59.999Z')).cases[0]).toMatchObject({ caseId: 'a', vendorId: 'north-desk' });
    const after = await queue(at('10:00'));
    expect(after.cases[0]).toMatchObject({ caseId: 'a', vendorId: 'south-desk' });
    expect((await queue(at('10:00'), 'north-desk')).cases).toEqual([]);
    expect((await queue(at('10:00'), 'south-desk')).cases.map((c) => c.caseId)).toEqual(['a']);
    expect(after.eventsReplayed).toBe(5);
  });
});

describe('a queue as of a moment is the live queue as it stood then (random desk histories)', () => {
  let handle: EventStoreHandle;
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  const moments: Date[] = [];
  let caseIds: string[] = [];

  beforeAll(async () => {
    handle = await createEventStore({ clock });
    ({ caseIds } = await appendHistory(handle.store, deskHistory({ events: 1_500, seed: 11 }), (n) => {
      clock.advance(60_000);
      if (n % 400 < 3) moments.push(clock.now());
    }));
    moments.push(clock.advance(60_000));
    await new ProjectionRunner(caseQueueProjection, { store: handle.store, db: handle.db }).catchUp();
  });
  afterAll(() => handle.store.close());

  /** the oracle: each case's stream up to the moment, folded by the live projection's fold */
  const foldedAt = async (moment: Date): Promise<QueuedCase[]> => {
    const docs: QueuedCase[] = [];
    for (const caseId of caseIds) {
      const { events } = await handle.store.readStream(`case-${caseId}`, { asOf: moment });
      const doc = events.reduce<QueuedCase | null>((d, e) => evolveQueuedCase(d, e as unknown as QueueInput), null);
      if (doc) docs.push(doc);
    }
    return docs;
  };

  it('holds the same cases, with the same fields, in the same order, for every queue and vendor, at every moment', async () => {
    expect(moments.length).toBeGreaterThanOrEqual(4);
    let compared = 0;
    for (const moment of moments) {
      const docs = await foldedAt(moment);
      const languages = [...new Set(docs.map((d) => d.language))];
      const vendors = [undefined, ...new Set(docs.flatMap((d) => (d.vendorId ? [d.vendorId] : [])))];
      for (const language of languages)
        for (const priority of PRIORITIES)
          for (const vendor of vendors) {
            const queueId = `${language}-${priority}`;
            const expected = docs
              .filter((d) => isQueued(d) && d.queueId === queueId && (vendor === undefined || d.vendorId === vendor))
              .sort(compareQueued)
              .map(shown);
            const replayed = await readQueueAsOf(handle.db, queueId, moment, { vendor });
            expect([queueId, vendor, replayed.cases]).toEqual([queueId, vendor, expected]);
            compared += expected.length;
          }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('as of now, equals the live case_queue projection’s page, vendor by vendor', async () => {
    const now = moments[moments.length - 1];
    const docs = await foldedAt(now);
    const queueIds = [...new Set(docs.map((d) => d.queueId))];
    const vendors = [undefined, ...new Set(docs.flatMap((d) => (d.vendorId ? [d.vendorId] : [])))];
    for (const queueId of queueIds)
      for (const vendor of vendors) {
        const live = await listQueue(handle.db, { queueId, vendorId: vendor, limit: 200 });
        const replayed = await readQueueAsOf(handle.db, queueId, now, { vendor });
        expect([queueId, vendor, replayed.cases]).toEqual([queueId, vendor, live.items.map(shown)]);
      }
  });
});
