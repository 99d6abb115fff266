import { caseEvent, toCaseStreamId, type CaseEvent } from '@app/case-domain';
import type { EventStore, SqlQueryable } from '@app/event-store';
import { evolveCaseSummary, type CaseSummary, type CaseSummaryInput } from '@app/read-models';
import { toCaseSummary, type CaseSummaryRow } from '../../../read-models/src/case-summaries/case-summaries.projection';
import { EVENT_COUNTS_TABLE } from './counting.projection';
import type { RunnerTestDatabase } from './runner-test-context';

/** A database for one test: the store, its database, and how to reach it as a second process would. */
export interface ProjectionTestDatabase extends RunnerTestDatabase {
  /** true on PostgreSQL: several connections really run side by side */
  readonly concurrent: boolean;
  /** another store and database on the same data (own connections on PostgreSQL; PGlite: the same ones) */
  secondProcess(): Promise<RunnerTestDatabase>;
}

/** every row of the case_summaries view, by case id */
export const summaryRows = async (q: SqlQueryable): Promise<CaseSummary[]> =>
  (await q.query<CaseSummaryRow>('SELECT * FROM case_summaries ORDER BY case_id')).rows.map(toCaseSummary);

/** the summaries a plain fold of each stream gives: the oracle the projection must agree with */
export const foldedSummaries = async (store: EventStore, caseIds: readonly string[]): Promise<CaseSummary[]> => {
  const folded: CaseSummary[] = [];
  for (const caseId of [...caseIds].sort()) {
    const { events } = await store.readStream(toCaseStreamId(caseId));
    const summary = events.reduce<CaseSummary | null>(
      (doc, event) => evolveCaseSummary(doc, event as unknown as CaseSummaryInput),
      null,
    );
    if (summary) folded.push(summary);
  }
  return folded;
};

export interface CountRow {
  readonly streamId: string;
  readonly applied: number;
  readonly lastVersion: number;
}

export const countRows = async (q: SqlQueryable): Promise<CountRow[]> =>
  (
    await q.query<{ stream_id: string; applied: number | string; last_version: number | string }>(
      `SELECT stream_id, applied, last_version FROM ${EVENT_COUNTS_TABLE} ORDER BY stream_id`,
    )
  ).rows.map((r) => ({ streamId: r.stream_id, applied: Number(r.applied), lastVersion: Number(r.last_version) }));

/** physical tables whose name starts with `prefix` */
export const physicalTables = async (q: SqlQueryable, prefix: string): Promise<string[]> =>
  (
    await q.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name LIKE $1 ORDER BY table_name`,
      [`${prefix}%`],
    )
  ).rows.map((r) => r.table_name);

export const checkpointNames = async (q: SqlQueryable): Promise<string[]> =>
  (
    await q.query<{ name: string }>("SELECT name FROM checkpoints WHERE component = 'projections' ORDER BY name")
  ).rows.map((r) => r.name);

const AT = Date.parse('2026-02-02T10:00:00Z');
const at = (minute: number) => new Date(AT + minute * 60_000).toISOString();

/** A small, hand-made case history: Opened, then the given events, one minute apart. */
export const caseStory = (
  caseId: string,
  ...types: ('assign' | 'escalate' | 'priority' | 'resolve' | 'reopen' | 'close' | 'reply')[]
): CaseEvent[] => {
  const base = (minute: number) => ({ caseId, at: at(minute), byId: 'agent-1' });
  const opened = caseEvent('Opened', {
    ...base(0),
    tenant: 'org-acme',
    requester: { id: 'admin-1', email: 'admin@acme.example' },
    subject: `Case ${caseId}`,
    description: 'It broke.',
    product: 'drive',
    language: 'en',
    channel: 'email',
    impact: { serviceState: 'unusable', scope: 'one-user', collaborationHarmed: false },
    workaround: 'none',
    priority: 'P3',
  });
  return [
    opened,
    ...types.map((type, i): CaseEvent => {
      const b = base(i + 1);
      switch (type) {
        case 'assign':
          return caseEvent('AgentAssigned', { ...b, agentId: 'agent-7', forced: false });
        case 'escalate':
          return caseEvent('Escalated', { ...b, target: 'product-team', reason: 'bug' });
        case 'priority':
          return caseEvent('PriorityChanged', { ...b, from: 'P3', to: 'P1', reason: 'outage' });
        case 'resolve':
          return caseEvent('Resolved', { ...b, outcome: 'solved', summary: 'fixed', cycle: 1 });
        case 'reopen':
          return caseEvent('Reopened', { ...b, reason: 'again', cycle: 2 });
        case 'close':
          return caseEvent('Closed', { ...b, outcome: 'solved', cycle: 1 });
        case 'reply':
          return caseEvent('CustomerReplied', { ...b, message: 'news?', endsWait: false });
      }
    }),
  ];
};
