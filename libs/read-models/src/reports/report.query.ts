import type { SqlQueryable } from '@app/event-store';
import {
  GROUP_BYS,
  REPORTS,
  type GroupBy,
  type ReportDefinition,
  type ReportName,
  type ReportRow,
  type ReportValue,
} from './report.catalog';

/** A report name that is not in the catalogue (404), or a parameter it cannot take (400). */
export class ReportRequestInvalid extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportRequestInvalid';
  }
}

export interface ReportParameters {
  /** ISO 8601 instants with a time zone; default `to` = now, `from` = `to` − 30 days */
  readonly from?: string;
  readonly to?: string;
  readonly groupBy?: string;
}

export interface ReportResult {
  readonly report: ReportName;
  readonly title: string;
  readonly definition: string;
  readonly from: string | null;
  readonly to: string;
  readonly groupBy: GroupBy;
  /** the columns of each row, in order (the group's first, unless groupBy is none) */
  readonly columns: readonly string[];
  readonly rows: readonly ReportRow[];
  /** the same figures over every group (the reports that have one: `deflection`), without a group column */
  readonly total?: ReportRow;
}

/** the longest period a report covers: a year and a day (enough for a yearly review, bounded for the database) */
const MAX_PERIOD_MS = 367 * 86_400_000;
const DEFAULT_PERIOD_MS = 30 * 86_400_000;

const instant = (name: string, value: string | undefined, fallback: Date): Date => {
  if (value === undefined || value === '') return fallback;
  if (
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ||
    Number.isNaN(Date.parse(value))
  )
    throw new ReportRequestInvalid(
      400,
      'REPORT.INVALID_PARAMETER',
      `${name} must be an ISO 8601 date or instant with a time zone, such as 2026-03-01 or 2026-03-01T00:00:00Z (got ${JSON.stringify(value)}).`,
    );
  return new Date(value);
};

/** A report request that passed every check: what {@link runCheckedReport} runs. */
export interface CheckedReport {
  readonly definition: ReportDefinition;
  readonly from: Date;
  readonly to: Date;
  readonly groupBy: GroupBy;
  /** the moment the facts are judged at (`now` of {@link checkReport}): a running clock past its due time is breached by then */
  readonly asOf: Date;
}

/**
 * Checks a report request without touching the database: the report exists (else 404), its
 * parameters are ones it takes (else 400). `now` is the default `to`, and the moment the
 * facts are judged at (for a report as of a past moment, that moment). Callers whose answer
 * is costly to prepare (the auditors' report as of a moment replays the log) check first.
 */
export const checkReport = (name: string, params: ReportParameters, now: Date): CheckedReport => {
  const definition = REPORTS.get(name as ReportName);
  if (!definition)
    throw new ReportRequestInvalid(
      404,
      'REPORT.UNKNOWN',
      `There is no report ${JSON.stringify(name)}; the reports are ${[...REPORTS.keys()].join(', ')}.`,
    );
  const to = instant('to', params.to, now);
  const from = instant('from', params.from, new Date(to.getTime() - DEFAULT_PERIOD_MS));
  if (!definition.pointInTime && from.getTime() >= to.getTime())
    throw new ReportRequestInvalid(400, 'REPORT.INVALID_PARAMETER', 'from must be before to.');
  if (!definition.pointInTime && to.getTime() - from.getTime() > MAX_PERIOD_MS)
    throw new ReportRequestInvalid(
      400,
      'REPORT.INVALID_PARAMETER',
      'A report covers at most 367 days; ask for several periods.',
    );
  const groupBy = (params.groupBy ?? definition.groupBy.default) as GroupBy;
  if (!(GROUP_BYS as readonly string[]).includes(groupBy) || !definition.groupBy.allowed.includes(groupBy))
    throw new ReportRequestInvalid(
      400,
      'REPORT.INVALID_PARAMETER',
      `${name} groups by ${definition.groupBy.allowed.join(', ')}, not ${JSON.stringify(params.groupBy)}.`,
    );
  return { definition, from, to, groupBy, asOf: now };
};

/** Runs a checked request against the `report_*` tables (or views) that `db` resolves. */
export const runCheckedReport = async (
  db: SqlQueryable,
  { definition, from, to, groupBy, asOf }: CheckedReport,
): Promise<ReportResult> => {
  const answer = await definition.run(db, { from, to, groupBy, asOf });
  const { rows, total } = Array.isArray(answer) ? { rows: answer, total: undefined } : answer;
  return {
    report: definition.name,
    title: definition.title,
    definition: definition.definition,
    from: definition.pointInTime ? null : from.toISOString(),
    to: to.toISOString(),
    groupBy,
    columns: groupBy === 'none' ? definition.columns : [groupBy, ...definition.columns],
    rows,
    ...(total === undefined ? {} : { total }),
  };
};

/** Checks a report request and runs it against the read models. */
export const runReport = async (
  db: SqlQueryable,
  name: string,
  params: ReportParameters,
  now: Date,
): Promise<ReportResult> => runCheckedReport(db, checkReport(name, params, now));

/** the group column's value of the total's line in CSV */
export const CSV_TOTAL = '(total)';

const csvField = (value: ReportValue | undefined): string => {
  if (value === null || value === undefined) return '';
  // a list is one cell: its items' values joined by ':', the items by spaces (`kb-1:3 kb-2:1`)
  const text = Array.isArray(value)
    ? value.map((item: Readonly<Record<string, string | number>>) => Object.values(item).join(':')).join(' ')
    : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * RFC 4180 CSV: a header of the columns, one line per row, CRLF line ends; empty for null.
 * A report with a total ends with it, its group column {@link CSV_TOTAL} (for `none`, the
 * one row is the total already).
 */
export const reportCsv = (result: ReportResult): string => {
  const lines: ReportValue[][] = [[...result.columns], ...result.rows.map((row) => result.columns.map((c) => row[c]))];
  if (result.total && result.groupBy !== 'none')
    lines.push(result.columns.map((c) => (c === result.groupBy ? CSV_TOTAL : (result.total as ReportRow)[c])));
  return lines.map((fields) => fields.map((f) => csvField(f)).join(',')).join('\r\n') + '\r\n';
};
