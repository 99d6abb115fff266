import { CASE_EVENT_TYPES, caseIdFromStreamId } from '@app/case-domain';
import type { Projection, ProjectionTables } from '@app/projections';
import { EventRefused } from '../batch-projection';
import { documentProjection, type DocumentStore } from '../document-projection';
import {
  bigint,
  boolean,
  doubleOrNull,
  instant,
  instantOrNull,
  integer,
  integerOrNull,
  numeric,
  rowTable,
  text,
  textOrNull,
} from '../row-table';
import { perTable } from '../sql-rows';
import {
  emptyChanges,
  evolveCaseReport,
  type CalendarOf,
  type CaseReport,
  type CustomerWait,
  type IssuedCredit,
  type ReportCase,
  type ReportCycle,
  type ReportChanges,
  type ReportInput,
  type ReportSla,
  type StatusSpan,
} from './case-report.evolve';

/** The stable names readers query (views over the active generation's tables). */
export const REPORT_TABLES = {
  cases: 'report_cases',
  cycles: 'report_cycles',
  spans: 'report_status_spans',
  waits: 'report_waits',
  credits: 'report_credits',
} as const;
type TableName = (typeof REPORT_TABLES)[keyof typeof REPORT_TABLES];
type Tables = ProjectionTables<TableName>;

/** The report tables' common DDL: text sorts bytewise (the same on PostgreSQL and PGlite); only the keys are NOT NULL. */
const REPORT_DDL = { notNull: 'key', collateText: 'C' } as const;

/**
 * COVERING: a year's report reads a third of a table; from the index of its period's time
 * column with every column it groups by or counts included, that is an index-only scan of a
 * tenth of the pages, not a scan of the whole table. At a million cases, alone:
 * first-response-time 183 → about 100 ms (docs/scaling.md). The columns every report groups by:
 */
const GROUPS = 'priority, vendor_id, language';

const CASES = rowTable<ReportCase>({
  ...REPORT_DDL,
  columns: {
    caseId: text(),
    tenant: text(),
    language: text(),
    priority: text(),
    openedPriority: text(),
    vendorId: textOrNull(),
    calendarId: textOrNull(),
    openedAt: instant(),
    status: text(),
    cycle: integer(),
    escalations: integer(),
    spanSeq: integer(),
    waitSeq: integer(),
    firstResponseDueAt: instantOrNull(),
    version: bigint(),
  },
  key: ['caseId'],
  // the version guard again, in SQL: a case's row never moves back to an older version
  guard: 't.version < EXCLUDED.version',
  // escalation-rate: the cases opened in a period, an index-only scan (COVERING above)
  extra: (t) =>
    `CREATE INDEX ${t}_opened_idx ON ${t} (opened_at) INCLUDE (opened_priority, vendor_id, language, escalations);`,
});
const CYCLES = rowTable<ReportCycle>({
  ...REPORT_DDL,
  columns: {
    caseId: text(),
    cycle: integer(),
    tenant: text(),
    language: text(),
    priority: text(),
    vendorId: textOrNull(),
    startedAt: instant(),
    firstResponseAt: instantOrNull(),
    firstResponseMinutes: doubleOrNull(),
    firstResponseDueAt: instantOrNull(),
    firstResponseStoppedAt: instantOrNull(),
    firstResponseBreached: boolean(),
    resolutionBreached: boolean(),
    resolvedAt: instantOrNull(),
    outcome: textOrNull(),
    reopenedAt: instantOrNull(),
    escalations: integer(),
    surveySentAt: instantOrNull(),
    surveyAnsweredAt: instantOrNull(),
    rating: integerOrNull(),
  },
  key: ['caseId', 'cycle'],
  // each period report of the cycles reads one of these alone (COVERING above):
  // sla-attainment by the start, outcomes and reopen-rate by the resolution,
  // first-response-time by the response
  extra: (t) =>
    [
      `CREATE INDEX ${t}_started_idx ON ${t} (started_at) INCLUDE (${GROUPS}, ` +
        'first_response_stopped_at, first_response_breached, first_response_due_at, resolution_breached);',
      `CREATE INDEX ${t}_resolved_idx ON ${t} (resolved_at) INCLUDE (${GROUPS}, outcome, reopened_at);`,
      `CREATE INDEX ${t}_responded_idx ON ${t} (first_response_at) INCLUDE (${GROUPS}, first_response_minutes);`,
    ].join('\n'),
});
const SPANS = rowTable<StatusSpan>({
  ...REPORT_DDL,
  columns: {
    caseId: text(),
    seq: integer(),
    status: text(),
    priority: text(),
    vendorId: textOrNull(),
    tenant: text(),
    language: text(),
    openedAt: instant(),
    startedAt: instant(),
    endedAt: instantOrNull(),
  },
  key: ['caseId', 'seq'],
  // the backlog at a moment: the spans not ended by then, read by their end (open spans
  // last), an index-only scan. Every column the backlog reads or groups by is included,
  // ended_at too (or the planner does not consider an index-only scan on an expression); not
  // a partial index: ANALYZE keeps no statistics of a partial index's expression, and with
  // the default guess (a third of the table) the planner scans the whole table instead
  extra: (t) =>
    `CREATE INDEX ${t}_end_idx ON ${t} ((coalesce(ended_at, 'infinity'::timestamptz)))
  INCLUDE (ended_at, started_at, status, opened_at, priority, vendor_id, tenant, language);`,
});
const WAITS = rowTable<CustomerWait>({
  ...REPORT_DDL,
  columns: {
    caseId: text(),
    seq: integer(),
    tenant: text(),
    language: text(),
    priority: text(),
    vendorId: textOrNull(),
    startedAt: instant(),
    endedAt: instantOrNull(),
    endedBy: textOrNull(),
  },
  key: ['caseId', 'seq'],
  // customer-wait: the waits ended in a period (COVERING above)
  extra: (t) => `CREATE INDEX ${t}_ended_idx ON ${t} (ended_at) INCLUDE (${GROUPS}, started_at);`,
});
const CREDITS = rowTable<IssuedCredit>({
  ...REPORT_DDL,
  columns: {
    caseId: text(),
    issuedAt: instant(),
    amount: numeric(),
    currency: text(),
    tenant: text(),
    language: text(),
    priority: text(),
    vendorId: textOrNull(),
  },
  key: ['caseId'],
});

/** Rows back to facts (what a batch loads; the tests compare a fold with them). */
export const REPORT_ROW_PARSERS = {
  cases: CASES.read,
  cycles: CYCLES.read,
  spans: SPANS.read,
  waits: WAITS.read,
  credits: CREDITS.read,
} as const;

const loadStatement = perTable((key: string) => {
  const t = JSON.parse(key) as Tables;
  // everything a batch needs of its cases, in ONE round trip (each part as a JSON array)
  return `SELECT
  (SELECT coalesce(json_agg(c), '[]') FROM ${t.report_cases} c WHERE c.case_id = ANY($1::text[])) AS cases,
  (SELECT coalesce(json_agg(y), '[]') FROM ${t.report_cycles} y WHERE y.case_id = ANY($1::text[])) AS cycles,
  (SELECT coalesce(json_agg(s), '[]') FROM ${t.report_status_spans} s WHERE s.case_id = ANY($1::text[]) AND s.ended_at IS NULL) AS spans,
  (SELECT coalesce(json_agg(w), '[]') FROM ${t.report_waits} w WHERE w.case_id = ANY($1::text[]) AND w.ended_at IS NULL) AS waits,
  (SELECT coalesce(json_agg(k), '[]') FROM ${t.report_credits} k WHERE k.case_id = ANY($1::text[])) AS credits`;
});

type Json = Record<string, unknown>;
const parseJson = (value: unknown): Json[] => (typeof value === 'string' ? JSON.parse(value) : value) as Json[];

/**
 * The report facts' store: a case's document spread over five tables, loaded in one round
 * trip, written back as the changed cases' rows plus the rows the folds changed.
 */
const reportStore: DocumentStore<CaseReport, TableName, ReportChanges> = {
  tables: {
    report_cases: CASES.table,
    report_cycles: CYCLES.table,
    report_status_spans: SPANS.table,
    report_waits: WAITS.table,
    report_credits: CREDITS.table,
  },
  indexes: {
    report_cases: CASES.indexes,
    report_cycles: CYCLES.indexes,
    report_status_spans: SPANS.indexes,
    report_waits: WAITS.indexes,
    report_credits: CREDITS.indexes,
  },
  load: async (tx, tables, caseIds) => {
    // not a named statement: a generic plan, not knowing how many ids come, would scan whole
    // tables; planned for each batch, it reads them by primary key
    const { rows } = await tx.query<Record<string, unknown>>(loadStatement(JSON.stringify(tables)), [caseIds]);
    const r = rows[0];
    const reports = new Map<
      string,
      {
        case: ReportCase;
        cycles: Map<number, ReportCycle>;
        span: StatusSpan | null;
        wait: CustomerWait | null;
        credit: IssuedCredit | null;
      }
    >();
    for (const row of parseJson(r.cases)) {
      const c = CASES.read(row);
      reports.set(c.caseId, { case: c, cycles: new Map(), span: null, wait: null, credit: null });
    }
    for (const row of parseJson(r.cycles)) {
      const y = CYCLES.read(row);
      reports.get(y.caseId)?.cycles.set(y.cycle, y);
    }
    for (const row of parseJson(r.spans)) {
      const s = SPANS.read(row);
      const report = reports.get(s.caseId);
      if (report) report.span = s;
    }
    for (const row of parseJson(r.waits)) {
      const w = WAITS.read(row);
      const report = reports.get(w.caseId);
      if (report) report.wait = w;
    }
    for (const row of parseJson(r.credits)) {
      const k = CREDITS.read(row);
      const report = reports.get(k.caseId);
      if (report) report.credit = k;
    }
    return reports;
  },
  write: async (tx, tables, changed, changes) => {
    await CASES.upsert(
      tx,
      tables.report_cases,
      changed.map((report) => report.case),
    );
    await CYCLES.upsert(tx, tables.report_cycles, [...changes.cycles.values()]);
    await SPANS.upsert(tx, tables.report_status_spans, [...changes.spans.values()]);
    await WAITS.upsert(tx, tables.report_waits, [...changes.waits.values()]);
    await CREDITS.upsert(tx, tables.report_credits, [...changes.credits.values()]);
  },
};

export const REPORT_CASE_MISSING = 'READ_MODELS.REPORT_CASE_MISSING';

/** The report projection's name (its checkpoint is `projector:case-reports:v<N>`). */
export const CASE_REPORTS_PROJECTION = 'case-reports';

export interface CaseReportsOptions extends ReportSla {
  /** the calendar that measures a case: its own (Opened's SLA terms) or, for null or an unknown id, the default */
  readonly calendarOf: CalendarOf;
}

/**
 * `report_*`: the facts the supervisors' reports aggregate (docs/metrics.md): per case, per
 * resolution cycle, status spans (the backlog at any moment), waits on the customer,
 * credits. Business time needs the calendars, and each cycle's due time the SLA policy's
 * targets, so the projection is made with them.
 */
export const caseReportsProjection = ({ calendarOf, policy }: CaseReportsOptions): Projection<TableName> => {
  const sla: ReportSla = { calendarOf, policy };
  return documentProjection({
    name: CASE_REPORTS_PROJECTION,
    // 2: each cycle's own due time (reopenings included) and the clock's stop (the response or the resolution)
    // 3: the status spans' index by their end, for the backlog at a moment
    // 4: the period reports' covering indexes (COVERING)
    version: 4,
    handles: CASE_EVENT_TYPES,
    store: reportStore,
    keyOf: (event) => caseIdFromStreamId(event.streamId),
    // idempotency: the case's facts already hold this event (or a later one)
    versionOf: (report) => report.case.version,
    evolve: (report, event, changes) => evolveCaseReport(report, event as unknown as ReportInput, sla, changes),
    refused: (caseId, event) =>
      new EventRefused(
        REPORT_CASE_MISSING,
        event,
        `No report facts of case ${caseId} to apply ${event.type} #${event.streamVersion} to`,
      ),
    batch: emptyChanges,
    // a case's rows are the fold of its own stream: a rebuild folds whole streams, loading nothing
    documentPerStream: true,
  });
};
