import type { SqlQueryable } from '@app/event-store';
import { REPORTS } from './report.catalog';
import { reportCsv, ReportRequestInvalid, runReport, type ReportResult } from './report.query';

/** a database that must not be reached: the checks come first */
const unreachable: SqlQueryable = {
  query: () => Promise.reject(new Error('the database should not be asked')),
};
/** a database that answers every query with these rows, and records what it was asked */
const answering = (rows: Record<string, unknown>[]) => {
  const asked: { sql: string; params: readonly unknown[] }[] = [];
  const db: SqlQueryable = {
    query: async <R>(sql: string, params: readonly unknown[] = []) => {
      asked.push({ sql, params });
      return { rows: rows as R[] };
    },
  };
  return { db, asked };
};
const NOW = new Date('2026-03-31T12:00:00Z');

describe('runReport', () => {
  it('refuses an unknown report (404), a group it does not take, a bad or inverted period (400), before any query', async () => {
    const refusal = (name: string, params: object) =>
      runReport(unreachable, name, params, NOW).catch((e: ReportRequestInvalid) => e);
    expect(await refusal('churn', {})).toMatchObject({ status: 404, code: 'REPORT.UNKNOWN' });
    expect(await refusal('backlog', { groupBy: 'week' })).toMatchObject({
      status: 400,
      code: 'REPORT.INVALID_PARAMETER',
    });
    expect(await refusal('csat', { groupBy: 'tenant' })).toMatchObject({ status: 400 });
    // the deflection report's groupings are its own
    expect(await refusal('csat', { groupBy: 'product' })).toMatchObject({ status: 400 });
    expect(await refusal('deflection', { groupBy: 'priority' })).toMatchObject({ status: 400 });
    expect(await refusal('csat', { from: '2026-03-02', to: '2026-03-01' })).toMatchObject({ status: 400 });
    expect(await refusal('csat', { from: '2025-01-01', to: '2026-03-01' })).toMatchObject({ status: 400 });
    expect(await refusal('csat', { from: '2026-03-01T00:00:00' })).toMatchObject({ status: 400 });
  });

  it('defaults to the last 30 days up to now, and the report’s own grouping', async () => {
    const { db, asked } = answering([{ grp: 'P1', n: 4, met: 3, breached: 1, resolution_breached: 0 }]);
    const result = await runReport(db, 'sla-attainment', {}, NOW);
    expect(result).toMatchObject({
      from: '2026-03-01T12:00:00.000Z',
      to: '2026-03-31T12:00:00.000Z',
      groupBy: 'priority',
      columns: ['priority', 'cycles', 'met', 'breached', 'pending', 'attainmentPercent', 'resolutionBreached'],
      rows: [
        { priority: 'P1', cycles: 4, met: 3, breached: 1, pending: 0, attainmentPercent: 75, resolutionBreached: 0 },
      ],
    });
    // from, to, and the moment the running clocks are judged at: now
    expect(asked[0].params).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-31T12:00:00.000Z', NOW.toISOString()]);
    // every report reads its read model, never the log
    expect(asked[0].sql).toMatch(/FROM report_cycles/);
    expect(asked[0].sql).not.toMatch(/\bevents\b/);
  });

  it('states a definition for every report, and a default grouping it accepts', () => {
    for (const report of REPORTS.values()) {
      expect(report.definition.length).toBeGreaterThan(80);
      expect(report.groupBy.allowed).toContain(report.groupBy.default);
    }
  });
});

describe('reportCsv', () => {
  it('writes RFC 4180: a header, CRLF lines, quoted fields where needed, empty for null', () => {
    const result = {
      columns: ['vendor', 'note', 'rate'],
      rows: [
        { vendor: 'north-desk', note: 'a, "quoted" one', rate: 12.5 },
        { vendor: '(none)', note: 'line\nbreak', rate: null },
      ],
    } as unknown as ReportResult;
    expect(reportCsv(result)).toBe(
      'vendor,note,rate\r\nnorth-desk,"a, ""quoted"" one",12.5\r\n(none),"line\nbreak",\r\n',
    );
  });
});
