import { ManualClock } from '@app/clock';
import { standaloneDoor } from '@app/commands';
import { createEventStore, type EventStoreHandle } from '@app/event-store';
import { ProjectionRunner, type Projection } from '@app/projections';
import {
  aggregateDeflection,
  caseReportsProjection,
  DEFLECTION_GROUP_BYS,
  evolveIntakeRow,
  intakeKeyOf,
  intakesProjection,
  runReport,
  type IntakeRow,
  type ReportResult,
} from '@app/read-models';
import { intakeSteps } from '../../commands/src/testing/intake-steps';
import { appendIntakeHistory } from '../../read-models/src/testing/intake-history';
import { reportSla } from '../../read-models/src/testing/read-model-test-kit';
import { testSla } from '../../sla/src/testing/test-sla';
import { readReportAsOf, type ReportAsOfResult } from './report-as-of';

const projection = intakesProjection as Projection;
const at = (hhmm: string, day = 2) => `2026-03-0${day}T${hhmm}:00.000Z`;
const DAY = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
const HOUR = 3_600_000;

/** the report part of a replay, without what only a replay has */
const reportOf = ({ asOf: _a, eventsReplayed: _e, streamsParked: _p, ...report }: ReportAsOfResult): ReportResult =>
  report;

/**
 * The deflection report (R5–R8) as it stood at a moment, replayed from the intake events
 * and the cases' `Opened` recorded by then, with the same fold and aggregation as the live
 * report (libs/audit, report-as-of.ts; PGlite).
 */
describe('the deflection report as of a moment, replayed from the log', () => {
  let handle: EventStoreHandle;
  const clock = new ManualClock('2026-03-02T08:00:00Z');
  const asOf = (moment: string, params: Record<string, string> = DAY) =>
    readReportAsOf(handle.db, projection, 'deflection', params, new Date(moment));
  const total = async (moment: string) => (await asOf(moment)).total;

  beforeAll(async () => {
    handle = await createEventStore({ clock });
    const door = standaloneDoor({ store: handle.store, clock, sla: testSla(), surveyDelayMs: 0 });
    const step = intakeSteps(door, clock);
    // Monday 2 March 2026
    await step.start('a', { product: 'drive', shown: ['kb-a', 'kb-b'] }, at('09:00'));
    await step.start('b', { product: 'mail', language: 'en', shown: ['kb-c'] }, at('09:05'));
    await step.deflect('a', 'kb-a', at('09:10'));
    const requested = await step.requestCase('b', at('09:20'));
    await step.openCase(requested, at('09:21'));
    await step.start('c', { product: 'drive', shown: ['kb-b'] }, at('09:30'));
    await step.searchAgain('c', ['kb-d'], at('10:00'));
    // Tuesday: c has been idle for a day
    await step.abandon('c', 24 * HOUR, at('10:30', 3));
  }, 60_000);
  afterAll(() => handle?.store.close());

  it('counts the intakes as they stood: started, then deflected, then a case, then one still open', async () => {
    expect(await total(at('08:59'))).toMatchObject({ intakes: 0, deflectionRate: null });
    expect(await total(at('09:07'))).toMatchObject({ intakes: 2, stillOpen: 2, deflected: 0, deflectionRate: 0 });
    expect(await total(at('09:15'))).toEqual({
      intakes: 2,
      deflected: 1,
      attachedToRecentCase: 0,
      casesOpened: 0,
      abandoned: 0,
      stillOpen: 1,
      deflectionRate: 0.5,
      topDeflectingArticles: [{ articleId: 'kb-a', deflections: 1 }],
      articlesNeverHelpful: [
        { articleId: 'kb-b', intakesShown: 1 },
        { articleId: 'kb-c', intakesShown: 1 },
      ],
    });
    expect(await total(at('09:25'))).toMatchObject({ intakes: 2, deflected: 1, casesOpened: 1, stillOpen: 0 });
    const evening = await asOf(at('18:00'));
    expect(evening.total).toEqual({
      intakes: 3,
      deflected: 1,
      attachedToRecentCase: 0,
      casesOpened: 1,
      abandoned: 0,
      stillOpen: 1,
      deflectionRate: 1 / 3,
      topDeflectingArticles: [{ articleId: 'kb-a', deflections: 1 }],
      articlesNeverHelpful: [
        { articleId: 'kb-b', intakesShown: 2 },
        { articleId: 'kb-c', intakesShown: 1 },
        { articleId: 'kb-d', intakesShown: 1 },
      ],
    });
    // intake events and the one case Opened naming an intake (its Routed is not read)
    expect(evening).toMatchObject({ asOf: at('18:00'), streamsParked: [], eventsReplayed: 12 });
    expect(evening.rows.map((r) => [r.product, r.intakes, r.deflected, r.stillOpen])).toEqual([
      ['drive', 2, 1, 1],
      ['mail', 1, 0, 0],
    ]);
    // the next day, the sweep's Abandoned is in the log: the same intakes, c abandoned
    expect(await total(at('11:00', 3))).toMatchObject({ intakes: 3, abandoned: 1, stillOpen: 0 });
  });

  it('replays with the same fold and aggregation as the live report: equal at now, and never writes the live tables', async () => {
    const now = clock.now();
    const runner = new ProjectionRunner(projection, { store: handle.store, db: handle.db });
    await runner.catchUp();
    for (const groupBy of DEFLECTION_GROUP_BYS) {
      const live = await runReport(handle.db, 'deflection', { ...DAY, groupBy }, now);
      expect([groupBy, reportOf(await asOf(now.toISOString(), { ...DAY, groupBy }))]).toEqual([groupBy, live]);
      expect(await runReport(handle.db, 'deflection', { ...DAY, groupBy }, now)).toEqual(live);
    }
  });

  it('on a random history, equals the aggregation of the events recorded by each moment', async () => {
    const random = await createEventStore({ clock });
    try {
      const history = await appendIntakeHistory(random.store, {
        intakes: 150,
        seed: 11,
        start: '2026-03-02T08:00:00Z',
        spreadMinutes: 5 * 24 * 60,
        beforeAppend: (moment) => clock.set(moment),
      });
      const events = [];
      for (const id of history.intakeIds) events.push(...(await random.store.readStream(`intake-${id}`)).events);
      for (const id of history.openedCaseIds) events.push(...(await random.store.readStream(`case-${id}`)).events);
      const period = { from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z' };
      for (const moment of ['2026-03-03T12:00:00Z', '2026-03-05T08:30:00Z', '2026-03-09T00:00:00Z']) {
        const rows = new Map<string, IntakeRow | null>();
        for (const e of events.filter((x) => x.recordedAt.getTime() <= Date.parse(moment))) {
          const key = intakeKeyOf(e) as string;
          if (key !== null) rows.set(key, evolveIntakeRow(rows.get(key) ?? null, e));
        }
        const expected = aggregateDeflection(
          [...rows.values()].filter((r): r is IntakeRow => r !== null),
          {
            from: new Date(period.from),
            to: new Date(period.to),
            groupBy: 'week',
          },
        );
        const replayed = await readReportAsOf(
          random.db,
          projection,
          'deflection',
          { ...period, groupBy: 'week' },
          new Date(moment),
        );
        expect([moment, replayed.total]).toEqual([moment, expected.total]);
        expect(replayed.rows).toEqual(expected.groups.map((g) => ({ week: g.key, ...g.figures })));
        expect(replayed.total?.intakes).toBeGreaterThan(0);
      }
    } finally {
      await random.store.close();
    }
  });

  it('refuses to replay a report with another projection than the one it reads', async () => {
    await expect(
      readReportAsOf(handle.db, caseReportsProjection(reportSla()) as Projection, 'deflection', DAY, clock.now()),
    ).rejects.toThrow('The report deflection reads the projection intakes, not case-reports');
    await expect(asOf(at('12:00'), { ...DAY, groupBy: 'priority' })).rejects.toMatchObject({
      status: 400,
      code: 'REPORT.INVALID_PARAMETER',
    });
  });
});
