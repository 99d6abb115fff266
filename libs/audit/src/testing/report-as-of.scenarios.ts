import { deskHistory, recorded as ev } from '@app/case-domain/testing';
import type { ManualClock } from '@app/clock';
import type { EventStore, NewEvent, SqlDatabase } from '@app/event-store';
import { ProjectionRunner, type Projection } from '@app/projections';
import { caseReportsProjection, GROUP_BYS, REPORTS, runReport, type ReportResult } from '@app/read-models';
import { appendHistory } from '@app/testing';
import { reportSla } from '../../../read-models/src/testing/read-model-test-kit';
import { readReportAsOf, type ReportAsOfResult } from '../report-as-of';

export interface ReportReplayFixture {
  readonly store: EventStore;
  readonly db: SqlDatabase;
  /** the store's clock: what `recorded_at` is */
  readonly clock: ManualClock;
  close(): Promise<void>;
}

const at = (hhmm: string) => `2026-03-02T${hhmm}:00.000Z`;
const DAY = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
const SYSTEM = { id: 'system:router', role: 'system' } as const;

/** the report part of a replay, without what only a replay has */
const reportOf = ({ asOf: _a, eventsReplayed: _e, streamsParked: _p, ...report }: ReportAsOfResult): ReportResult =>
  report;

/**
 * Reports as of a moment (libs/audit, report-as-of.ts) on one adapter: figures before and
 * after some events, exactly as worked out by hand; and, for the same history, the live
 * projection's report at "now" (every report, every grouping).
 *
 * Monday 2 March 2026, Paris calendar (the default: at work 09:00-12:30 and 13:30-18:00,
 * UTC+1). Case A (P1) opened 09:00Z, answered 09:30Z (30 business minutes), resolved
 * 10:00Z (solved). Case B (P3) opened 09:10Z, information requested 11:00Z (110 business
 * minutes), provided 13:00Z (a wait of 2 h), escalated 13:00Z, resolved 14:00Z
 * (feature-request). A stray stream whose first event is not `Opened` is parked.
 */
export const replaysReports = (adapter: string, open: () => Promise<ReportReplayFixture>): void =>
  describe(`${adapter}: reports as they stood at a moment, replayed from the log`, () => {
    let fx: ReportReplayFixture;
    const sla = reportSla();
    const projection = caseReportsProjection(sla) as Projection;
    const append = async (streamId: string, event: NewEvent) => {
      fx.clock.set((event.data as { at: string }).at);
      await fx.store.appendToStream(streamId, [event], 'any');
    };
    const asOf = (name: string, moment: string, params: Record<string, string> = DAY) =>
      readReportAsOf(fx.db, projection, name, params, new Date(moment));
    const rows = async (name: string, moment: string, params?: Record<string, string>) =>
      (await asOf(name, moment, params)).rows;

    beforeAll(async () => {
      fx = await open();
      const history: [string, NewEvent][] = [
        ['case-a', ev.opened('a', at('09:00'), 'fr', 'P1')],
        ['case-a', ev.routed('a', at('09:00'), 'north-desk')],
        ['case-b', ev.opened('b', at('09:10'), 'fr', 'P3')],
        ['case-b', ev.routed('b', at('09:10'), 'north-desk')],
        ['case-stray', ev.assigned('stray', at('09:20'))],
        [
          'case-a',
          ev.caseEventOf('AgentResponded', 'a', at('09:30'), {
            agentId: 'eve',
            message: 'On it.',
            firstResponse: true,
          }),
        ],
        ['case-a', ev.resolved('a', at('10:00'))],
        ['case-b', ev.infoRequested('b', at('11:00'))],
        ['case-b', ev.infoProvided('b', at('13:00'))],
        ['case-b', ev.caseEventOf('Escalated', 'b', at('13:00'), { target: 'product-team', reason: 'A bug.' })],
        [
          'case-b',
          ev.caseEventOf(
            'Resolved',
            'b',
            at('14:00'),
            { outcome: 'feature-request', summary: 'Not yet.', cycle: 1 },
            SYSTEM,
          ),
        ],
      ];
      for (const [streamId, event] of history) await append(streamId, event);
    }, 60_000);
    afterAll(() => fx?.close());

    it('counts first responses given by then: P1 only at 09:45, P1 and P3 from 11:00', async () => {
      expect(await rows('first-response-time', at('09:45'))).toEqual([
        { priority: 'P1', responses: 1, medianBusinessMinutes: 30, p90BusinessMinutes: 30, meanBusinessMinutes: 30 },
      ]);
      expect(await rows('first-response-time', at('11:00'))).toEqual([
        { priority: 'P1', responses: 1, medianBusinessMinutes: 30, p90BusinessMinutes: 30, meanBusinessMinutes: 30 },
        { priority: 'P3', responses: 1, medianBusinessMinutes: 110, p90BusinessMinutes: 110, meanBusinessMinutes: 110 },
      ]);
      expect(await rows('first-response-time', at('09:29'))).toEqual([]);
    });

    it('takes the backlog at asOf by default, with each case’s status then', async () => {
      const early = await asOf('backlog', at('09:45'), {});
      expect(early).toMatchObject({ to: at('09:45'), from: null, asOf: at('09:45') });
      expect(early.rows).toEqual([{ status: 'open', ageBucket: '0-1d', cases: 2 }]);
      expect(await rows('backlog', at('11:30'), {})).toEqual([
        { status: 'awaiting-customer', ageBucket: '0-1d', cases: 1 },
        { status: 'resolved', ageBucket: '0-1d', cases: 1 },
      ]);
      expect(await rows('backlog', at('08:59'), {})).toEqual([]);
    });

    it('adds resolutions, escalations and waits as they are recorded', async () => {
      expect(await rows('outcomes', at('10:30'))).toEqual([{ outcome: 'solved', resolutions: 1, sharePercent: 100 }]);
      expect(await rows('outcomes', at('14:00'))).toEqual([
        { outcome: 'feature-request', resolutions: 1, sharePercent: 50 },
        { outcome: 'solved', resolutions: 1, sharePercent: 50 },
      ]);
      const escalations = (moment: string) => rows('escalation-rate', moment);
      expect(await escalations(at('12:00'))).toEqual([
        { priority: 'P1', cases: 1, escalated: 0, escalations: 0, ratePercent: 0 },
        { priority: 'P3', cases: 1, escalated: 0, escalations: 0, ratePercent: 0 },
      ]);
      expect((await escalations(at('13:30')))[1]).toEqual({
        priority: 'P3',
        cases: 1,
        escalated: 1,
        escalations: 1,
        ratePercent: 100,
      });
      expect(await rows('customer-wait', at('12:59'))).toEqual([]); // the wait had not ended
      expect(await rows('customer-wait', at('13:00'), { ...DAY, groupBy: 'vendor' })).toEqual([
        { vendor: 'north-desk', waits: 1, totalHours: 2, meanHours: 2, medianHours: 2, p90Hours: 2 },
      ]);
    });

    it('says what it replayed, parks what the live runner parks, and leaves no table behind', async () => {
      const result = await asOf('outcomes', at('09:30'));
      expect(result).toMatchObject({ asOf: at('09:30'), eventsReplayed: 5, streamsParked: ['case-stray'] });
      // the same in pages of one and two events (streams cut by pages, folded part by part)
      for (const batchSize of [1, 2])
        expect(
          await readReportAsOf(fx.db, projection, 'outcomes', DAY, new Date(at('09:30')), { batchSize }),
        ).toMatchObject({ eventsReplayed: 5, streamsParked: ['case-stray'] });
      const { rows: temporary } = await fx.db.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM pg_class WHERE relpersistence = 't' AND relname LIKE 'report_%'`,
      );
      expect(Number(temporary[0].n)).toBe(0);
    });

    it('refuses an unknown report (404) and a parameter the report does not take (400) before replaying', async () => {
      await expect(asOf('churn', at('12:00'))).rejects.toMatchObject({ status: 404, code: 'REPORT.UNKNOWN' });
      await expect(asOf('backlog', at('12:00'), { groupBy: 'week' })).rejects.toMatchObject({
        status: 400,
        code: 'REPORT.INVALID_PARAMETER',
      });
    });

    it('equals the live report at "now", for every report and grouping, and never writes the live tables', async () => {
      await appendHistory(
        fx.store,
        deskHistory({ events: 1_200, seed: 7, start: '2026-03-02T15:00:00Z', spreadMinutes: 10 * 24 * 60 }),
        () => void fx.clock.advance(60_000),
      );
      const now = fx.clock.advance(60_000);
      await new ProjectionRunner(projection, { store: fx.store, db: fx.db }).catchUp();
      const period = { from: '2026-03-01T00:00:00Z', to: '2026-04-15T00:00:00Z' };
      // the case reports (the deflection report replays the intakes: deflection-as-of.spec.ts)
      for (const report of [...REPORTS.values()].filter((r) => r.projection === projection.name))
        for (const groupBy of GROUP_BYS.filter((g) => report.groupBy.allowed.includes(g))) {
          const params = { ...period, groupBy };
          const live = await runReport(fx.db, report.name, params, now);
          expect([report.name, groupBy, live.rows.length > 0]).toEqual([report.name, groupBy, true]);
          const replayed = await readReportAsOf(fx.db, projection, report.name, params, now);
          expect([report.name, groupBy, reportOf(replayed)]).toEqual([report.name, groupBy, live]);
          // the live read model is untouched by the replay
          expect(await runReport(fx.db, report.name, params, now)).toEqual(live);
        }
      // pages that cut streams (a case has about ten events here): the page's last stream held
      // back to the next page, or a stream longer than a page folded part by part
      for (const batchSize of [3, 17])
        for (const report of [...REPORTS.values()].filter((r) => r.projection === projection.name)) {
          const params = { ...period, groupBy: 'none' };
          const live = await runReport(fx.db, report.name, params, now);
          const replayed = await readReportAsOf(fx.db, projection, report.name, params, now, { batchSize });
          expect([report.name, batchSize, reportOf(replayed)]).toEqual([report.name, batchSize, live]);
        }
      const backlog = await runReport(fx.db, 'backlog', { to: '2026-03-08T00:00:00Z' }, now);
      expect(backlog.rows.length).toBeGreaterThan(0);
      expect(reportOf(await readReportAsOf(fx.db, projection, 'backlog', { to: '2026-03-08T00:00:00Z' }, now))).toEqual(
        backlog,
      );
    }, 120_000);
  });
