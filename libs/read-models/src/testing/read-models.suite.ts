import type { EventStore, RecordedEvent, SqlDatabase } from '@app/event-store';
import type { BatchProjection } from '../batch-projection';
import { ProjectionRunner, type Projection, type ProjectionRunnerOptions } from '@app/projections';
// the runner's own simulated connection loss (test support of @app/projections, not part of its API)
import { ConnectionLostForTest } from '../../../projections/src/testing/faulty.projection';
import { caseQueueProjection } from '../queues/case-queue.projection';
import { caseReportsProjection } from '../reports/case-reports.projection';
import { appendDeskHistory } from './desk-history';
import {
  calendarLookup,
  factsOf,
  foldedQueue,
  foldedReports,
  queueRows,
  reportRows,
  storedFacts,
} from './read-model-test-kit';

/** The projection, with `before` run ahead of each event it applies, one by one or in a batch. */
const withFault = (projection: BatchProjection, before: (event: RecordedEvent) => void): BatchProjection => ({
  ...projection,
  apply: async (tx, event, tables) => {
    before(event);
    await projection.apply(tx, event, tables);
  },
  applyBatch: async (tx, events, tables) => {
    for (const event of events) before(event);
    await projection.applyBatch(tx, events, tables);
  },
});

export interface ReadModelTestDatabase {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  close(): Promise<void>;
}

/**
 * The read models' guarantees, on PGlite (read-models.spec.ts) and PostgreSQL
 * (read-models.int-spec.ts): built incrementally, rebuilt from scratch, or resumed after a
 * runner died in the middle of a batch, the rows are the same, and they are what a plain
 * fold of each case's events gives.
 */
export const readModelsSuite = (adapter: string, createDatabase: () => Promise<ReadModelTestDatabase>): void =>
  describe(`the queue and report read models on ${adapter}`, () => {
    const calendarOf = calendarLookup();
    const reports = caseReportsProjection({ calendarOf });
    let t: ReadModelTestDatabase;
    const runners: ProjectionRunner[] = [];
    const errors: Error[] = [];
    const runner = (projection: Projection, options: Partial<ProjectionRunnerOptions> = {}) => {
      const made = new ProjectionRunner(projection, {
        store: t.store,
        db: t.db,
        onError: (e) => errors.push(e),
        ...options,
      });
      runners.push(made);
      return made;
    };

    beforeEach(async () => {
      errors.length = 0;
      t = await createDatabase();
    }, 30_000);
    afterEach(async () => {
      await Promise.all(runners.splice(0).map((r) => r.stop()));
      await t.close();
    }, 30_000);

    it('determinism: 10,000 random events, built incrementally in batches of 7, equal a rebuild from scratch and a plain fold', async () => {
      const queue = runner(caseQueueProjection, { batchSize: 7 });
      const report = runner(reports, { batchSize: 7 });
      await Promise.all([queue.start(), report.start()]);
      const history = await appendDeskHistory(t.store, { events: 10_000, seed: 20260302, concurrentCases: 80 });
      await Promise.all([queue.catchUp({ timeoutMs: 600_000 }), report.catchUp({ timeoutMs: 600_000 })]);

      const queueBuilt = await queueRows(t.db);
      expect(queueBuilt).toHaveLength(history.caseIds.length);
      expect(queueBuilt).toEqual(await foldedQueue(t.store, history.caseIds));
      const reportsBuilt = await reportRows(t.db);
      const folded = await foldedReports(t.store, history.caseIds, calendarOf);
      expect(await storedFacts(t.db)).toEqual(factsOf(folded));
      // the history is not trivial: every kind of fact is there
      for (const rows of Object.values(reportsBuilt)) expect(rows.length).toBeGreaterThan(10);

      expect(await queue.rebuild({ batchSize: 500 })).toMatchObject({ generation: 2, swapped: true });
      expect(await report.rebuild({ batchSize: 500 })).toMatchObject({ generation: 2, swapped: true });
      expect(await queueRows(t.db)).toEqual(queueBuilt);
      expect(await reportRows(t.db)).toEqual(reportsBuilt);
      expect(await queue.parked()).toEqual({ streams: 0, events: 0 });
      expect(await report.parked()).toEqual({ streams: 0, events: 0 });
      expect(errors).toEqual([]);
    }, 900_000);

    it('a runner killed in the middle of a batch, and a new one started, give the same read models', async () => {
      const history = await appendDeskHistory(t.store, { events: 1_500, seed: 7, concurrentCases: 40 });
      for (const projection of [caseQueueProjection, reports] as BatchProjection[]) {
        let applied = 0;
        let crashed!: () => void;
        const crash = new Promise<void>((resolve) => (crashed = resolve));
        // the connection "drops" at the 125th event: in the middle of the third batch of 50
        const dying = withFault(projection, () => {
          applied += 1;
          if (applied === 125) {
            crashed();
            throw new ConnectionLostForTest();
          }
        });
        const first = runner(dying as Projection, { batchSize: 50, retry: { initialMs: 60_000, maxMs: 60_000 } });
        await first.start();
        await crash;
        await first.stop();
        const second = runner(projection as Projection, { batchSize: 50 });
        await second.start();
        await second.catchUp();
      }
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringContaining('simulated'),
        expect.stringContaining('simulated'),
      ]);
      expect(await queueRows(t.db)).toEqual(await foldedQueue(t.store, history.caseIds));
      expect(await storedFacts(t.db)).toEqual(factsOf(await foldedReports(t.store, history.caseIds, calendarOf)));
      const resumed = await reportRows(t.db);
      // a clean build of the same history, in another generation, gives the same rows
      await runners
        .filter((r) => r.name === reports.name)
        .at(-1)
        ?.rebuild();
      expect(await reportRows(t.db)).toEqual(resumed);
    }, 120_000);
  });
