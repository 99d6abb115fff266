import { randomUUID } from 'node:crypto';
import { toCaseStreamId } from '@app/case-domain';
import { createEventStore, type EventStoreHandle, type RecordedEvent } from '@app/event-store';
import { ProjectionRunner } from '../projection.runner';
import { caseStory, summaryRows } from '../testing/projection-test-kit';
import { caseSummariesProjection, CaseSummaryMissing } from './case-summaries.projection';

describe('caseSummariesProjection.apply', () => {
  let handle: EventStoreHandle;
  const tables = { case_summaries: 'case_summaries_v1_g1' };
  const apply = (event: RecordedEvent) =>
    handle.db.transaction((tx) => caseSummariesProjection.apply(tx, event, tables));

  beforeAll(async () => {
    handle = await createEventStore();
    await new ProjectionRunner(caseSummariesProjection, { store: handle.store, db: handle.db }).prepare();
  }, 30_000);
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

  it('refuses an event of a case it never saw opened, so that the runner parks it', async () => {
    const { events } = await storyOf('assign');
    await expect(apply(events[1])).rejects.toBeInstanceOf(CaseSummaryMissing);
  });
});
