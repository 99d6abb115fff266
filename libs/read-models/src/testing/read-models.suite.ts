import { deskHistory } from '@app/case-domain/testing';
import type { Projection } from '@app/projections';
import { appendHistory } from '@app/testing';
// the runner's own test support (of @app/projections, not part of its API): a projection
// that loses its connection on cue, the suite's database and runners
import { connectionLostAt } from '../../../projections/src/testing/faulty.projection';
import { runnerTestContext, type RunnerTestDatabase } from '../../../projections/src/testing/runner-test-context';
import { caseQueueProjection } from '../queues/case-queue.projection';
import { caseReportsProjection } from '../reports/case-reports.projection';
import {
  factsOf,
  foldedQueue,
  foldedReports,
  queueRows,
  reportRows,
  reportSla,
  storedFacts,
} from './read-model-test-kit';

/**
 * The read models' guarantees, on PGlite (read-models.spec.ts) and PostgreSQL
 * (read-models.int-spec.ts): built incrementally, rebuilt from scratch, or resumed after a
 * runner died in the middle of a batch, the rows are the same, and they are what a plain
 * fold of each case's events gives.
 */
export const readModelsSuite = (
  adapter: string,
  createDatabase: () => Promise<RunnerTestDatabase>,
  /** size of the determinism history: 10,000 on a server, where commits really interleave */
  { determinismEvents = 10_000 }: { determinismEvents?: number } = {},
): void =>
  describe(`the queue and report read models on ${adapter}`, () => {
    const sla = reportSla();
    const reports = caseReportsProjection(sla);
    const t = runnerTestContext(createDatabase);
    const { runner, errors } = t;

    it(`determinism: ${determinismEvents.toLocaleString('en')} random events, built incrementally in batches of 7, equal a rebuild from scratch and a plain fold`, async () => {
      const queue = runner(caseQueueProjection, { batchSize: 7 });
      const report = runner(reports, { batchSize: 7 });
      await Promise.all([queue.start(), report.start()]);
      const history = await appendHistory(
        t.store,
        deskHistory({ events: determinismEvents, seed: 20260302, concurrentCases: 80 }),
      );
      await Promise.all([queue.catchUp({ timeoutMs: 600_000 }), report.catchUp({ timeoutMs: 600_000 })]);

      const queueBuilt = await queueRows(t.db);
      expect(queueBuilt).toHaveLength(history.caseIds.length);
      expect(queueBuilt).toEqual(await foldedQueue(t.store, history.caseIds));
      const reportsBuilt = await reportRows(t.db);
      const folded = await foldedReports(t.store, history.caseIds, sla);
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
      const history = await appendHistory(t.store, deskHistory({ events: 1_500, seed: 7, concurrentCases: 40 }));
      for (const projection of [caseQueueProjection, reports] as Projection[]) {
        // the connection "drops" at the 125th event: in the middle of the third batch of 50
        const dying = connectionLostAt(projection, 125);
        const first = runner(dying.projection, { batchSize: 50, retry: { initialMs: 60_000, maxMs: 60_000 } });
        await first.start();
        await dying.lost;
        await first.stop();
        const second = runner(projection, { batchSize: 50 });
        await second.start();
        await second.catchUp();
      }
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringContaining('simulated'),
        expect.stringContaining('simulated'),
      ]);
      expect(await queueRows(t.db)).toEqual(await foldedQueue(t.store, history.caseIds));
      expect(await storedFacts(t.db)).toEqual(factsOf(await foldedReports(t.store, history.caseIds, sla)));
      const resumed = await reportRows(t.db);
      // a clean build of the same history, in another generation, gives the same rows
      await t.runners
        .filter((r) => r.name === reports.name)
        .at(-1)
        ?.rebuild();
      expect(await reportRows(t.db)).toEqual(resumed);
    }, 120_000);
  });
