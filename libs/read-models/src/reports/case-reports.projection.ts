import { CASE_EVENT_TYPES, caseIdFromStreamId } from '@app/case-domain';
import type { RecordedEvent, SqlQueryable } from '@app/event-store';
import type { Projection, ProjectionTables } from '@app/projections';
import { EventRefused } from '../batch-projection';
import {
  instantOf,
  numberOf,
  optionalInstantOf,
  optionalNumberOf,
  perTable,
  recordsetUpsert,
  type Column,
} from '../sql-rows';
import {
  emptyChanges,
  evolveCaseReport,
  type CalendarOf,
  type CaseReport,
  type CustomerWait,
  type IssuedCredit,
  type ReportCase,
  type ReportCycle,
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

const CASE_COLUMNS: readonly Column[] = [
  ['case_id', 'text'],
  ['tenant', 'text'],
  ['language', 'text'],
  ['priority', 'text'],
  ['opened_priority', 'text'],
  ['vendor_id', 'text'],
  ['calendar_id', 'text'],
  ['opened_at', 'timestamptz'],
  ['status', 'text'],
  ['cycle', 'integer'],
  ['escalations', 'integer'],
  ['span_seq', 'integer'],
  ['wait_seq', 'integer'],
  ['first_response_due_at', 'timestamptz'],
  ['version', 'bigint'],
];
const CYCLE_COLUMNS: readonly Column[] = [
  ['case_id', 'text'],
  ['cycle', 'integer'],
  ['tenant', 'text'],
  ['language', 'text'],
  ['priority', 'text'],
  ['vendor_id', 'text'],
  ['started_at', 'timestamptz'],
  ['first_response_at', 'timestamptz'],
  ['first_response_minutes', 'double precision'],
  ['first_response_due_at', 'timestamptz'],
  ['first_response_stopped_at', 'timestamptz'],
  ['first_response_breached', 'boolean'],
  ['resolution_breached', 'boolean'],
  ['resolved_at', 'timestamptz'],
  ['outcome', 'text'],
  ['reopened_at', 'timestamptz'],
  ['escalations', 'integer'],
  ['survey_sent_at', 'timestamptz'],
  ['survey_answered_at', 'timestamptz'],
  ['rating', 'integer'],
];
const SPAN_COLUMNS: readonly Column[] = [
  ['case_id', 'text'],
  ['seq', 'integer'],
  ['status', 'text'],
  ['priority', 'text'],
  ['vendor_id', 'text'],
  ['tenant', 'text'],
  ['language', 'text'],
  ['opened_at', 'timestamptz'],
  ['started_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
];
const WAIT_COLUMNS: readonly Column[] = [
  ['case_id', 'text'],
  ['seq', 'integer'],
  ['tenant', 'text'],
  ['language', 'text'],
  ['priority', 'text'],
  ['vendor_id', 'text'],
  ['started_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['ended_by', 'text'],
];
const CREDIT_COLUMNS: readonly Column[] = [
  ['case_id', 'text'],
  ['issued_at', 'timestamptz'],
  ['amount', 'numeric'],
  ['currency', 'text'],
  ['tenant', 'text'],
  ['language', 'text'],
  ['priority', 'text'],
  ['vendor_id', 'text'],
];

/** DDL of one physical table: text keys and grouping columns sort bytewise, the same on PostgreSQL and PGlite. */
const ddl =
  (columns: readonly Column[], key: readonly string[], extra: (t: string) => string = () => '') =>
  (t: string) => `
CREATE TABLE ${t} (
  ${columns
    .map(
      ([name, type]) =>
        `${name} ${type}${type === 'text' ? ' COLLATE "C"' : ''}${key.includes(name) ? ' NOT NULL' : ''}`,
    )
    .join(',\n  ')},
  CONSTRAINT ${t}_pkey PRIMARY KEY (${key.join(', ')})
);
${extra(t)}`;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** camelCase object → snake_case row */
const toRow = (o: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]));

type Json = Record<string, unknown>;
const caseOf = (r: Json): ReportCase => ({
  caseId: r.case_id as string,
  tenant: r.tenant as string,
  language: r.language as string,
  priority: r.priority as ReportCase['priority'],
  openedPriority: r.opened_priority as ReportCase['priority'],
  vendorId: (r.vendor_id as string | null) ?? null,
  calendarId: (r.calendar_id as string | null) ?? null,
  openedAt: instantOf(r.opened_at),
  status: r.status as ReportCase['status'],
  cycle: numberOf(r.cycle),
  escalations: numberOf(r.escalations),
  spanSeq: numberOf(r.span_seq),
  waitSeq: numberOf(r.wait_seq),
  firstResponseDueAt: optionalInstantOf(r.first_response_due_at),
  version: numberOf(r.version),
});
const cycleOf = (r: Json): ReportCycle => ({
  caseId: r.case_id as string,
  cycle: numberOf(r.cycle),
  tenant: r.tenant as string,
  language: r.language as string,
  priority: r.priority as ReportCycle['priority'],
  vendorId: (r.vendor_id as string | null) ?? null,
  startedAt: instantOf(r.started_at),
  firstResponseAt: optionalInstantOf(r.first_response_at),
  firstResponseMinutes: optionalNumberOf(r.first_response_minutes),
  firstResponseDueAt: optionalInstantOf(r.first_response_due_at),
  firstResponseStoppedAt: optionalInstantOf(r.first_response_stopped_at),
  firstResponseBreached: r.first_response_breached as boolean,
  resolutionBreached: r.resolution_breached as boolean,
  resolvedAt: optionalInstantOf(r.resolved_at),
  outcome: (r.outcome as ReportCycle['outcome']) ?? null,
  reopenedAt: optionalInstantOf(r.reopened_at),
  escalations: numberOf(r.escalations),
  surveySentAt: optionalInstantOf(r.survey_sent_at),
  surveyAnsweredAt: optionalInstantOf(r.survey_answered_at),
  rating: optionalNumberOf(r.rating),
});
const spanOf = (r: Json): StatusSpan => ({
  caseId: r.case_id as string,
  seq: numberOf(r.seq),
  status: r.status as StatusSpan['status'],
  priority: r.priority as StatusSpan['priority'],
  vendorId: (r.vendor_id as string | null) ?? null,
  tenant: r.tenant as string,
  language: r.language as string,
  openedAt: instantOf(r.opened_at),
  startedAt: instantOf(r.started_at),
  endedAt: optionalInstantOf(r.ended_at),
});
const waitOf = (r: Json): CustomerWait => ({
  caseId: r.case_id as string,
  seq: numberOf(r.seq),
  tenant: r.tenant as string,
  language: r.language as string,
  priority: r.priority as CustomerWait['priority'],
  vendorId: (r.vendor_id as string | null) ?? null,
  startedAt: instantOf(r.started_at),
  endedAt: optionalInstantOf(r.ended_at),
  endedBy: (r.ended_by as CustomerWait['endedBy']) ?? null,
});
const creditOf = (r: Json): IssuedCredit => ({
  caseId: r.case_id as string,
  issuedAt: instantOf(r.issued_at),
  amount: numberOf(r.amount),
  currency: r.currency as string,
  tenant: r.tenant as string,
  language: r.language as string,
  priority: r.priority as IssuedCredit['priority'],
  vendorId: (r.vendor_id as string | null) ?? null,
});

/** Rows back to facts (what a batch loads; the tests compare a fold with them). */
export const REPORT_ROW_PARSERS = {
  cases: caseOf,
  cycles: cycleOf,
  spans: spanOf,
  waits: waitOf,
  credits: creditOf,
} as const;

const statements = perTable((key: string) => {
  const t = JSON.parse(key) as Tables;
  return {
    // everything a batch needs of its cases, in ONE round trip (each part as a JSON array)
    load: `SELECT
  (SELECT coalesce(json_agg(c), '[]') FROM ${t.report_cases} c WHERE c.case_id = ANY($1::text[])) AS cases,
  (SELECT coalesce(json_agg(y), '[]') FROM ${t.report_cycles} y WHERE y.case_id = ANY($1::text[])) AS cycles,
  (SELECT coalesce(json_agg(s), '[]') FROM ${t.report_status_spans} s WHERE s.case_id = ANY($1::text[]) AND s.ended_at IS NULL) AS spans,
  (SELECT coalesce(json_agg(w), '[]') FROM ${t.report_waits} w WHERE w.case_id = ANY($1::text[]) AND w.ended_at IS NULL) AS waits,
  (SELECT coalesce(json_agg(k), '[]') FROM ${t.report_credits} k WHERE k.case_id = ANY($1::text[])) AS credits`,
    cases: recordsetUpsert(t.report_cases, CASE_COLUMNS, ['case_id'], 't.version < EXCLUDED.version'),
    cycles: recordsetUpsert(t.report_cycles, CYCLE_COLUMNS, ['case_id', 'cycle']),
    spans: recordsetUpsert(t.report_status_spans, SPAN_COLUMNS, ['case_id', 'seq']),
    waits: recordsetUpsert(t.report_waits, WAIT_COLUMNS, ['case_id', 'seq']),
    credits: recordsetUpsert(t.report_credits, CREDIT_COLUMNS, ['case_id']),
  };
});

const parseJson = (value: unknown): Json[] => (typeof value === 'string' ? JSON.parse(value) : value) as Json[];

/** Loads the report facts of some cases (what a batch touches). */
const load = async (tx: SqlQueryable, tables: Tables, caseIds: string[]): Promise<Map<string, CaseReport>> => {
  // not a named statement: a generic plan, not knowing how many ids come, would scan whole
  // tables; planned for each batch, it reads them by primary key
  const { rows } = await tx.query<Record<string, unknown>>(statements(JSON.stringify(tables)).load, [caseIds]);
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
    const c = caseOf(row);
    reports.set(c.caseId, { case: c, cycles: new Map(), span: null, wait: null, credit: null });
  }
  for (const row of parseJson(r.cycles)) {
    const y = cycleOf(row);
    reports.get(y.caseId)?.cycles.set(y.cycle, y);
  }
  for (const row of parseJson(r.spans)) {
    const s = spanOf(row);
    const report = reports.get(s.caseId);
    if (report) report.span = s;
  }
  for (const row of parseJson(r.waits)) {
    const w = waitOf(row);
    const report = reports.get(w.caseId);
    if (report) report.wait = w;
  }
  for (const row of parseJson(r.credits)) {
    const k = creditOf(row);
    const report = reports.get(k.caseId);
    if (report) report.credit = k;
  }
  return reports;
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
  const applyBatch = async (tx: SqlQueryable, events: readonly RecordedEvent[], tables: Tables): Promise<void> => {
    const caseEvents = events.filter((e) => caseIdFromStreamId(e.streamId) !== null);
    if (caseEvents.length === 0) return;
    const ids = [...new Set(caseEvents.map((e) => caseIdFromStreamId(e.streamId) as string))];
    const reports: Map<string, CaseReport> = await load(tx, tables, ids);
    const changes = emptyChanges();
    const changedCases = new Set<string>();
    for (const event of caseEvents) {
      const caseId = caseIdFromStreamId(event.streamId) as string;
      const report = reports.get(caseId) ?? null;
      // idempotency: the case's facts already hold this event (or a later one)
      if (report && event.streamVersion <= report.case.version) continue;
      const next = evolveCaseReport(report, event as unknown as ReportInput, sla, changes);
      if (!next)
        throw new EventRefused(
          REPORT_CASE_MISSING,
          event,
          `No report facts of case ${caseId} to apply ${event.type} #${event.streamVersion} to`,
        );
      reports.set(caseId, next);
      changedCases.add(caseId);
    }
    const s = statements(JSON.stringify(tables));
    await s.cases.write(
      tx,
      [...changedCases].map((id) => toRow((reports.get(id) as CaseReport).case)),
    );
    await s.cycles.write(tx, [...changes.cycles.values()].map(toRow));
    await s.spans.write(tx, [...changes.spans.values()].map(toRow));
    await s.waits.write(tx, [...changes.waits.values()].map(toRow));
    await s.credits.write(tx, [...changes.credits.values()].map(toRow));
  };
  return {
    name: CASE_REPORTS_PROJECTION,
    // 2: each cycle's own due time (reopenings included) and the clock's stop (the response or the resolution)
    version: 2,
    tables: {
      report_cases: ddl(CASE_COLUMNS, ['case_id'], (t) => `CREATE INDEX ${t}_opened_idx ON ${t} (opened_at);`),
      report_cycles: ddl(
        CYCLE_COLUMNS,
        ['case_id', 'cycle'],
        (t) =>
          `CREATE INDEX ${t}_started_idx ON ${t} (started_at);\nCREATE INDEX ${t}_resolved_idx ON ${t} (resolved_at);`,
      ),
      report_status_spans: ddl(SPAN_COLUMNS, ['case_id', 'seq']),
      report_waits: ddl(WAIT_COLUMNS, ['case_id', 'seq']),
      report_credits: ddl(CREDIT_COLUMNS, ['case_id']),
    },
    handles: CASE_EVENT_TYPES,
    applyBatch,
  };
};
