import { join } from 'node:path';
import { loadCalendars, loadSlaPolicy, type Calendar, type SlaPolicy } from '@app/business-time';
import { caseEvent, toCaseStreamId } from '@app/case-domain';
import type { EventStore, SqlQueryable } from '@app/event-store';
import { CASE_QUEUE_TABLE, toQueuedCase, type QueuedCaseRow } from '../queues/case-queue.projection';
import { evolveQueuedCase, type QueueInput, type QueuedCase } from '../queues/queued-case.evolve';
import { REPORT_ROW_PARSERS, REPORT_TABLES } from '../reports/case-reports.projection';
import {
  emptyChanges,
  evolveCaseReport,
  type CalendarOf,
  type CaseReport,
  type ReportInput,
  type ReportSla,
} from '../reports/case-report.evolve';

const CONFIG = join(__dirname, '..', '..', '..', '..', 'config');

/** The shipped calendars (config/calendars), as the app loads them. */
export const shippedCalendars = (): ReadonlyMap<string, Calendar> => loadCalendars(join(CONFIG, 'calendars'));

/** The shipped SLA policy (config/sla-policy.json: one business day for every priority). */
export const shippedPolicy = (calendars: ReadonlyMap<string, Calendar> = shippedCalendars()): SlaPolicy =>
  loadSlaPolicy(join(CONFIG, 'sla-policy.json'), calendars);

/** The calendar of a case, or Paris for none or an unknown id (the shipped policy's default). */
export const calendarLookup = (calendars: ReadonlyMap<string, Calendar> = shippedCalendars()): CalendarOf => {
  const fallback = calendars.get('europe-paris') as Calendar;
  return (id) => (id !== null && calendars.get(id)) || fallback;
};

/** What the report fold measures with, as the app configures it: the shipped calendars and policy. */
export const reportSla = (calendars: ReadonlyMap<string, Calendar> = shippedCalendars()): ReportSla => ({
  calendarOf: calendarLookup(calendars),
  policy: shippedPolicy(calendars),
});

/** every row of the case_queue view, by case id */
export const queueRows = async (q: SqlQueryable): Promise<QueuedCase[]> =>
  (await q.query<QueuedCaseRow>(`SELECT * FROM ${CASE_QUEUE_TABLE} ORDER BY case_id`)).rows.map(toQueuedCase);

/** what a plain fold of each case's stream gives: the oracle the queue projection must agree with */
export const foldedQueue = async (store: EventStore, caseIds: readonly string[]): Promise<QueuedCase[]> => {
  const folded: QueuedCase[] = [];
  for (const caseId of [...caseIds].sort()) {
    const { events } = await store.readStream(toCaseStreamId(caseId));
    const doc = events.reduce<QueuedCase | null>((d, e) => evolveQueuedCase(d, e as unknown as QueueInput), null);
    if (doc) folded.push(doc);
  }
  return folded;
};

const KEYS: Record<keyof typeof REPORT_TABLES, string> = {
  cases: 'case_id',
  cycles: 'case_id, cycle',
  spans: 'case_id, seq',
  waits: 'case_id, seq',
  credits: 'case_id',
};

/** Every row of every report table, in key order, as JSON-comparable values. */
export const reportRows = async (q: SqlQueryable): Promise<Record<keyof typeof REPORT_TABLES, unknown[]>> => {
  const out = {} as Record<keyof typeof REPORT_TABLES, unknown[]>;
  for (const [key, table] of Object.entries(REPORT_TABLES) as [keyof typeof REPORT_TABLES, string][]) {
    const { rows } = await q.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${KEYS[key]}`);
    out[key] = rows.map((r) => (typeof r.row === 'string' ? JSON.parse(r.row) : r.row));
  }
  return out;
};

/**
 * The report facts a plain fold of each stream gives (the oracle), as `caseId → facts`:
 * the same rules (each cycle judged against its own due time, grouped when its clock was
 * decided), folded one stream at a time with no batches, no SQL and no runner.
 */
export const foldedReports = async (
  store: EventStore,
  caseIds: readonly string[],
  sla: ReportSla,
): Promise<Map<string, CaseReport>> => {
  const folded = new Map<string, CaseReport>();
  for (const caseId of caseIds) {
    const { events } = await store.readStream(toCaseStreamId(caseId));
    const report = events.reduce<CaseReport | null>(
      (r, e) => evolveCaseReport(r, e as unknown as ReportInput, sla, emptyChanges()),
      null,
    );
    if (report) folded.set(caseId, report);
  }
  return folded;
};

/** The report facts a fold keeps (each case, all its cycles, its credit), read back from the tables. */
export const storedFacts = async (q: SqlQueryable) => {
  const rows = async (table: string, order: string) =>
    (await q.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}`)).rows;
  return {
    cases: (await rows(REPORT_TABLES.cases, 'case_id')).map(REPORT_ROW_PARSERS.cases),
    cycles: (await rows(REPORT_TABLES.cycles, 'case_id, cycle')).map(REPORT_ROW_PARSERS.cycles),
    credits: (await rows(REPORT_TABLES.credits, 'case_id')).map(REPORT_ROW_PARSERS.credits),
    openSpans: (await rows(`${REPORT_TABLES.spans} WHERE ended_at IS NULL`, 'case_id')).map(REPORT_ROW_PARSERS.spans),
    openWaits: (await rows(`${REPORT_TABLES.waits} WHERE ended_at IS NULL`, 'case_id')).map(REPORT_ROW_PARSERS.waits),
  };
};

/** The same shape from a fold. */
export const factsOf = (folded: ReadonlyMap<string, CaseReport>) => {
  const reports = [...folded.values()].sort((a, b) => (a.case.caseId < b.case.caseId ? -1 : 1));
  return {
    cases: reports.map((r) => r.case),
    cycles: reports.flatMap((r) => [...r.cycles.values()].sort((a, b) => a.cycle - b.cycle)),
    credits: reports.flatMap((r) => (r.credit ? [r.credit] : [])),
    openSpans: reports.flatMap((r) => (r.span ? [r.span] : [])),
    openWaits: reports.flatMap((r) => (r.wait ? [r.wait] : [])),
  };
};

/** What every event of a hand-built history carries: its case, its moment and its author. */
export interface HandBuilt {
  readonly caseId: string;
  readonly at: string;
  readonly byId: string;
}

/**
 * A French P2 case opened by ana at acme.example on the Paris calendar, with a first-response
 * target of one business day (480 minutes) due at `dueAt`: the start of the hand-built
 * histories of the report specs.
 */
export const openedP2 = (
  on: HandBuilt,
  { dueAt, calendarId = 'europe-paris' }: { dueAt: string; calendarId?: string },
) =>
  caseEvent('Opened', {
    ...on,
    tenant: 'acme.example',
    requester: { id: 'ana', email: 'ana@acme.example' },
    subject: on.caseId,
    description: '-',
    product: 'drive',
    language: 'fr',
    channel: 'email',
    impact: { serviceState: 'unusable', scope: 'several-users', collaborationHarmed: false },
    workaround: 'none',
    priority: 'P2',
    sla: {
      calendarId,
      calendarVersion: 1,
      policyVersion: 1,
      firstResponseTargetMs: 28_800_000,
      firstResponseDueAt: dueAt,
    },
  });

/** The case routed to `vendorId`'s French P2 queue (follow-the-sun, at opening). */
export const routedFrP2 = (on: HandBuilt, vendorId: string) =>
  caseEvent('Routed', {
    ...on,
    vendorId,
    queueId: 'fr-P2',
    reason: 'follow-the-sun',
    trigger: 'opened',
    candidates: [],
  });
