import { intakeEvent, toCaseStreamId, toIntakeStreamId } from '@app/case-domain';
import type { EventStore, SqlQueryable } from '@app/event-store';
import { runnerTestContext, type RunnerTestDatabase } from '../../../projections/src/testing/runner-test-context';
import { aggregateDeflection, DEFLECTION_GROUP_BYS } from '../intakes/deflection.aggregate';
import { evolveIntakeRow, intakeKeyOf, type IntakeRow } from '../intakes/intake-row.evolve';
import { INTAKE_COLUMNS, INTAKES_TABLE, intakesProjection, toIntakeRow } from '../intakes/intakes.projection';
import { runReport } from '../reports/report.query';
import { appendIntakeHistory } from './intake-history';

/** every row of the intakes view, by id */
const storedRows = async (q: SqlQueryable): Promise<IntakeRow[]> =>
  (await q.query(`SELECT ${INTAKE_COLUMNS} FROM ${INTAKES_TABLE} ORDER BY intake_id`)).rows.map(toIntakeRow);

/** what a plain fold of the streams gives: each intake's own, then the cases opened from intakes */
const foldedRows = async (
  store: EventStore,
  intakeIds: readonly string[],
  caseIds: readonly string[],
): Promise<IntakeRow[]> => {
  const rows = new Map<string, IntakeRow | null>();
  const streams = [...intakeIds.map(toIntakeStreamId), ...caseIds.map(toCaseStreamId)];
  for (const streamId of streams)
    for (const event of (await store.readStream(streamId)).events) {
      const key = intakeKeyOf(event);
      if (key !== null) rows.set(key, evolveIntakeRow(rows.get(key) ?? null, event));
    }
  return [...rows.values()]
    .filter((r): r is IntakeRow => r !== null)
    .sort((a, b) => (a.intakeId < b.intakeId ? -1 : 1));
};

/**
 * The `intakes` read model (R5–R8) on PGlite (intakes.spec.ts) and PostgreSQL
 * (intakes.int-spec.ts): built incrementally while intakes are written, rebuilt from
 * scratch, or folded stream by stream, the rows are the same; the deflection report is the
 * pure aggregation of those rows; a hole in an intake's stream is parked.
 */
export const intakesSuite = (adapter: string, createDatabase: () => Promise<RunnerTestDatabase>): void =>
  describe(`the intakes read model on ${adapter}`, () => {
    const t = runnerTestContext(createDatabase);

    it('built in batches of 5 while 300 random intakes are written, it equals a rebuild and a plain fold of each stream', async () => {
      const live = t.runner(intakesProjection, { batchSize: 5 });
      await live.start();
      const history = await appendIntakeHistory(t.store, { intakes: 300, seed: 20260302 });
      await live.catchUp({ timeoutMs: 600_000 });
      const built = await storedRows(t.db);
      expect(built).toEqual(await foldedRows(t.store, history.intakeIds, history.openedCaseIds));
      expect(built).toHaveLength(300);
      // the history is not trivial: every ending, and requested cases both opened and not
      const statuses = new Set(built.map((r) => `${r.status}${r.status === 'case-requested' ? r.caseOpened : ''}`));
      expect([...statuses].sort()).toEqual([
        'abandoned',
        'attached',
        'case-requestedfalse',
        'case-requestedtrue',
        'deflected',
        'suggesting',
      ]);
      expect(await live.rebuild({ batchSize: 97 })).toMatchObject({ generation: 2, swapped: true });
      expect(await storedRows(t.db)).toEqual(built);
      expect(t.errors).toEqual([]);
    });

    it('answers the deflection report with the aggregation of its rows, for every grouping, total included', async () => {
      const runner = t.runner(intakesProjection);
      const history = await appendIntakeHistory(t.store, { intakes: 120, seed: 7, start: '2026-03-02T08:00:00Z' });
      await runner.catchUp();
      const rows = await foldedRows(t.store, history.intakeIds, history.openedCaseIds);
      const period = { from: '2026-03-04T00:00:00Z', to: '2026-03-12T00:00:00Z' };
      for (const groupBy of DEFLECTION_GROUP_BYS) {
        const report = await runReport(t.db, 'deflection', { ...period, groupBy }, new Date('2026-04-01T00:00:00Z'));
        const expected = aggregateDeflection(rows, {
          from: new Date(period.from),
          to: new Date(period.to),
          groupBy,
        });
        expect([groupBy, report.total]).toEqual([groupBy, expected.total]);
        expect([groupBy, report.rows]).toEqual([
          groupBy,
          expected.groups.map((g) => (groupBy === 'none' ? g.figures : { [groupBy]: g.key, ...g.figures })),
        ]);
      }
      expect((await runReport(t.db, 'deflection', period, new Date())).total?.intakes).toBeGreaterThan(30);
    });

    it('parks an intake stream that does not begin with its start, and goes on with the others', async () => {
      const runner = t.runner(intakesProjection);
      const base = { at: '2026-03-02T09:00:00.000Z', byId: 'ana' };
      await t.store.appendToStream(
        toIntakeStreamId('stray'),
        [intakeEvent('SearchRepeated', { ...base, intakeId: 'stray', query: 'x' })],
        'no-stream',
      );
      await t.store.appendToStream(
        toIntakeStreamId('fine'),
        [
          intakeEvent('IntakeStarted', {
            ...base,
            intakeId: 'fine',
            tenant: 'acme.example',
            description: 'd',
            language: 'fr',
          }),
        ],
        'no-stream',
      );
      await runner.catchUp();
      expect((await storedRows(t.db)).map((r) => [r.intakeId, r.status])).toEqual([['fine', 'suggesting']]);
      expect(await runner.parked()).toEqual({ streams: 1, events: 1 });
    });
  });
