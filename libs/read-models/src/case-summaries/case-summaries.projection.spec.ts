import { randomUUID } from 'node:crypto';
import { toCaseStreamId } from '@app/case-domain';
import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import { physicalTableOf, ProjectionRunner } from '@app/projections';
import { caseStory, summaryRows } from '../../../projections/src/testing/projection-test-kit';
import { CASE_SUMMARIES_TABLE, caseSummariesProjection, CaseSummaryMissing } from './case-summaries.projection';
import { routedEvent } from './case-summaries.test-kit';

describe('caseSummariesProjection.applyBatch', () => {
  let handle: EventStoreHandle;
  /** the first generation, which prepare() creates */
  const tables = { case_summaries: physicalTableOf(CASE_SUMMARIES_TABLE, caseSummariesProjection.version, 1) };
  const applyBatch = (events: readonly RecordedEvent[]) =>
    handle.db.transaction((tx) => caseSummariesProjection.applyBatch(tx, events, tables));
  /** one event, as a batch of one */
  const apply = (event: RecordedEvent) => applyBatch([event]);
  const vendorColumn = async (caseId: string) =>
    (
      await handle.db.query<{ vendor_id: string | null }>(
        `SELECT vendor_id FROM ${tables.case_summaries} WHERE case_id = $1`,
        [caseId],
      )
    ).rows[0]?.vendor_id;

  beforeAll(async () => {
    handle = await createEventStore();
    await new ProjectionRunner(caseSummariesProjection, { store: handle.store, db: handle.db }).prepare();
  });
  afterAll(() => handle.store.close());

  const storyOf = async (...types: Parameters<typeof caseStory>[1][]) => {
    const caseId = randomUUID();
    await handle.store.appendToStream(toCaseStreamId(caseId), caseStory(caseId, ...types), 'no-stream');
    return { caseId, events: (await handle.store.readStream(toCaseStreamId(caseId))).events };
  };

  it('is idempotent: an event applied again, or an older one, changes nothing', async () => {
    const { caseId, events } = await storyOf('escalate', 'escalate');
    for (const event of events) await apply(event);
    const once = (await summaryRows(handle.db)).find((s) => s.caseId === caseId);
    expect(once).toMatchObject({ escalationCount: 2, version: 3 });
    for (const event of events) await apply(event);
    await apply(events[1]);
    expect((await summaryRows(handle.db)).find((s) => s.caseId === caseId)).toEqual(once);
  });

  it('ignores events of other stream categories that share a type name', async () => {
    const caseId = randomUUID();
    const [opened] = caseStory(caseId);
    await handle.store.appendToStream(`incident-${caseId}`, [opened], 'no-stream');
    const { events } = await handle.store.readStream(`incident-${caseId}`);
    await apply(events[0]);
    expect((await summaryRows(handle.db)).some((s) => s.caseId === caseId)).toBe(false);
  });

  describe('R4: vendor_id, the vendor of the latest Routed', () => {
    /** a case opened, routed to north-desk, then re-routed to south-desk */
    const rerouted = async () => {
      const caseId = randomUUID();
      const [opened] = caseStory(caseId);
      await handle.store.appendToStream(
        toCaseStreamId(caseId),
        [
          opened,
          routedEvent(caseId, 'North-Desk'),
          routedEvent(caseId, 'south-desk', { at: '2026-02-02T17:00:00.000Z', previousVendorId: 'north-desk' }),
        ],
        'no-stream',
      );
      return { caseId, events: (await handle.store.readStream(toCaseStreamId(caseId))).events };
    };

    it.each([
      [
        'event by event (batches of one)',
        async (events: RecordedEvent[]) => {
          for (const e of events) await apply(e);
        },
      ],
      ['in batches', (events: RecordedEvent[]) => applyBatch(events)],
    ])('%s: is null when opened, the vendor once routed, the new one once re-routed', async (_, write) => {
      const { caseId, events } = await rerouted();
      await write(events.slice(0, 1));
      expect(await vendorColumn(caseId)).toBeNull();
      await write(events.slice(1, 2));
      expect(await vendorColumn(caseId)).toBe('north-desk');
      await write(events.slice(2));
      expect(await vendorColumn(caseId)).toBe('south-desk');
      expect((await summaryRows(handle.db)).find((s) => s.caseId === caseId)).toMatchObject({
        vendorId: 'south-desk',
        version: 3,
      });
    });

    it('applyBatch folds a routing and its re-routing in one batch', async () => {
      const { caseId, events } = await rerouted();
      await applyBatch(events);
      expect(await vendorColumn(caseId)).toBe('south-desk');
    });

    it('goes back to null when the case is routed to nobody', async () => {
      const { caseId, events } = await rerouted();
      await applyBatch(events);
      await handle.store.appendToStream(
        toCaseStreamId(caseId),
        [routedEvent(caseId, null, { previousVendorId: 'south-desk' })],
        3,
      );
      const { events: all } = await handle.store.readStream(toCaseStreamId(caseId));
      await apply(all[3]);
      expect(await vendorColumn(caseId)).toBeNull();
    });
  });

  it('refuses an event of a case it never saw opened, so that the runner parks it', async () => {
    const { events } = await storyOf('assign');
    await expect(apply(events[1])).rejects.toBeInstanceOf(CaseSummaryMissing);
  });
});
