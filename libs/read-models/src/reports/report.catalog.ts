import type { SqlQueryable } from '@app/event-store';
import {
  aggregateDeflection,
  DEFLECTION_COLUMNS,
  DEFLECTION_GROUP_BYS,
  TOP_DEFLECTING_ARTICLES,
  type DeflectionFigures,
  type DeflectionGroupBy,
} from '../intakes/deflection.aggregate';
import { INTAKES_PROJECTION } from '../intakes/intakes.projection';
import { intakesStartedIn } from '../intakes/intakes.query';
import { CYCLE_GROUPING } from './case-report.evolve';
import { CASE_REPORTS_PROJECTION, REPORT_TABLES } from './case-reports.projection';

/**
 * The supervisors' reports (docs/domain-model.md, "Who reads the events"): each a query over a
 * read model (the `report_*` tables of cases, the `intakes` of the help assistant; never over
 * the log), with the definition of its metric stated in the answer and in docs/metrics.md.
 * Periods are half-open, [from, to), in UTC.
 */
export const REPORT_NAMES = [
  'first-response-time',
  'sla-attainment',
  'backlog',
  'outcomes',
  'escalation-rate',
  'customer-wait',
  'csat',
  'credits',
  'reopen-rate',
  'deflection',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const GROUP_BYS = ['none', 'priority', 'vendor', 'language', 'week', 'product', 'article'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface ReportQuery {
  readonly from: Date;
  readonly to: Date;
  readonly groupBy: GroupBy;
  /**
   * the moment the facts are judged at: now for a live report, the moment replayed for a
   * report as of a past moment (a running clock past its due time is breached by then)
   */
  readonly asOf: Date;
}

/** An item of a list a report row holds (e.g. `{ articleId, deflections }`). */
export type ReportListItem = Readonly<Record<string, string | number>>;
/** A cell: a count, a figure, a group's name, null (nothing to measure), or a list (one CSV cell: see reportCsv). */
export type ReportValue = string | number | null | readonly ReportListItem[];
export type ReportRow = Record<string, ReportValue>;

/** What a report with totals answers: its group rows, and the same figures over every group. */
export interface ReportTable {
  readonly rows: ReportRow[];
  readonly total: ReportRow;
}

export interface ReportDefinition {
  readonly name: ReportName;
  readonly title: string;
  /** what is counted and how: the metric's definition, in one paragraph */
  readonly definition: string;
  /** true: the report is a point in time (`to`), `from` is not used */
  readonly pointInTime?: boolean;
  readonly groupBy: { readonly default: GroupBy; readonly allowed: readonly GroupBy[] };
  /** the columns of a row after the group column, in order (the CSV header) */
  readonly columns: readonly string[];
  /**
   * the projection whose views `run` reads (`caughtUp` of `?after=`; the projection a
   * report as of a past moment replays, libs/audit)
   */
  readonly projection: string;
  /** the stream categories whose events that projection folds (`case`, `intake`): what a replay reads */
  readonly streams: readonly string[];
  /** the rows, one per group; with `total`, also the figures over every group */
  run(db: SqlQueryable, query: ReportQuery): Promise<ReportRow[] | ReportTable>;
}

/** the groupings of the case reports */
const ALL: readonly GroupBy[] = ['none', 'priority', 'vendor', 'language', 'week'];
const NO_WEEK: readonly GroupBy[] = ['none', 'priority', 'vendor', 'language'];

/** The SQL expression of a group; `week` is the ISO week (e.g. `2026-W10`) of the report's time column. */
const groupExpr = (groupBy: GroupBy, timeColumn: string, priorityColumn = 'priority'): string => {
  switch (groupBy) {
    case 'none':
      return `'all'`;
    case 'priority':
      return priorityColumn;
    case 'vendor':
      return `coalesce(vendor_id, '(none)')`;
    case 'language':
      return 'language';
    case 'week':
      return `to_char(date_trunc('week', ${timeColumn} AT TIME ZONE 'UTC'), 'IYYY-"W"IW')`;
    case 'product':
    case 'article':
      // no case report takes them (checkReport refuses them first): the deflection report's groupings
      throw new Error(`A case report cannot be grouped by ${groupBy}`);
  }
};

const round = (value: unknown, digits = 1): number | null => {
  if (value === null || value === undefined) return null;
  const f = 10 ** digits;
  return Math.round(Number(value) * f) / f;
};
const count = (value: unknown): number => Number(value ?? 0);
const percent = (part: number, whole: number): number | null => (whole === 0 ? null : round((part / whole) * 100));

/** `{ grp: 'P1', … }` → `{ priority: 'P1', … }` (no group column for `none`) */
const withGroup = (groupBy: GroupBy, grp: unknown, rest: ReportRow): ReportRow =>
  groupBy === 'none' ? rest : { [groupBy]: String(grp), ...rest };

const period = (column: string) => `${column} >= $1::timestamptz AND ${column} < $2::timestamptz`;

/** Runs a period query: `sql` gets the group expression; $1 and $2 are `from` and `to` ($3 `asOf` when asked for). */
const byGroup = async (
  db: SqlQueryable,
  { from, to, asOf }: ReportQuery,
  sql: (group: string) => string,
  group: string,
  withAsOf = false,
) =>
  (
    await db.query<Record<string, unknown>>(sql(group), [
      from.toISOString(),
      to.toISOString(),
      ...(withAsOf ? [asOf.toISOString()] : []),
    ])
  ).rows;

/**
 * The `run` of a period report with one row per group: `sql` selects the group expression it
 * is given (of `timeColumn` for `week`, of `priorityColumn` for `priority`) as `grp`, and
 * `row` turns the rest of each result row into the report's columns.
 */
const perGroup =
  (report: {
    readonly timeColumn: string;
    readonly priorityColumn?: string;
    /** the query takes the as-of moment as $3 */
    readonly withAsOf?: boolean;
    readonly sql: (group: string) => string;
    readonly row: (r: Record<string, unknown>) => ReportRow;
  }): ReportDefinition['run'] =>
  async (db, q) =>
    (
      await byGroup(db, q, report.sql, groupExpr(q.groupBy, report.timeColumn, report.priorityColumn), report.withAsOf)
    ).map((r) => withGroup(q.groupBy, r.grp, report.row(r)));

const AGE_BUCKETS = ['0-1d', '1-3d', '3-7d', '7-30d', '30d+'] as const;
const STATUS_ORDER = ['open', 'awaiting-customer', 'resolved'];

type CaseReportDefinition = Omit<ReportDefinition, 'projection' | 'streams'>;

const caseReports: readonly CaseReportDefinition[] = [
  {
    name: 'first-response-time',
    title: 'First response time (R10)',
    definition:
      'For each resolution cycle whose first agent response (an answer or an information request) was given in [from, to): the business time from the start of the cycle (the opening, or the reopening) to that response, in minutes of the case’s calendar (working hours, holidays excluded). Median and 90th percentile (continuous), and the mean. A cycle resolved without any agent response has no response time and is not counted here. ' +
      CYCLE_GROUPING,
    groupBy: { default: 'priority', allowed: ALL },
    columns: ['responses', 'medianBusinessMinutes', 'p90BusinessMinutes', 'meanBusinessMinutes'],
    run: perGroup({
      timeColumn: 'first_response_at',
      sql: (g) => `SELECT ${g} AS grp, count(*) AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_minutes) AS p90,
              avg(first_response_minutes) AS mean
            FROM ${REPORT_TABLES.cycles}
            WHERE ${period('first_response_at')} AND first_response_minutes IS NOT NULL
            GROUP BY 1 ORDER BY 1`,
      row: (r) => ({
        responses: count(r.n),
        medianBusinessMinutes: round(r.median),
        p90BusinessMinutes: round(r.p90),
        meanBusinessMinutes: round(r.mean),
      }),
    }),
  },
  {
    name: 'sla-attainment',
    title: 'SLA attainment (R10)',
    definition:
      'For each resolution cycle started in [from, to), judged against its own due time: every cycle, the opening’s and each reopening’s alike, has a first-response clock from its start, due after the first-response target of the priority in force (R10; recomputed from the cycle’s start when the priority changes while the clock runs) in business time of the case’s calendar. The clock stops at the first agent response (an answer or an information request) or at the resolution if it came first. Met: the clock stopped by its due time (a cycle resolved without any response but by its due time is met: the resolution is its first response to the customer). Breached: an SlaBreached of the first-response clock was recorded for the cycle, or the clock stopped after its due time, or it still runs past its due time at the moment the report is taken (now; for a report as of a past moment, that moment), whether or not the timers ran. Pending: cycles not resolved, not yet responded to and not yet due; a resolved cycle is never pending. Attainment = met / (met + breached), in percent; pending cycles are not counted. resolutionBreached counts the cycles with a recorded breach of the resolution clock. ' +
      CYCLE_GROUPING,
    groupBy: { default: 'priority', allowed: ALL },
    columns: ['cycles', 'met', 'breached', 'pending', 'attainmentPercent', 'resolutionBreached'],
    run: perGroup({
      timeColumn: 'started_at',
      withAsOf: true,
      sql: (g) => `SELECT ${g} AS grp, count(*) AS n,
              count(*) FILTER (WHERE first_response_stopped_at IS NOT NULL AND NOT first_response_breached) AS met,
              count(*) FILTER (WHERE first_response_breached
                OR (first_response_stopped_at IS NULL AND first_response_due_at < $3::timestamptz)) AS breached,
              count(*) FILTER (WHERE resolution_breached) AS resolution_breached
            FROM ${REPORT_TABLES.cycles} WHERE ${period('started_at')}
            GROUP BY 1 ORDER BY 1`,
      row: (r) => {
        const met = count(r.met);
        const breached = count(r.breached);
        return {
          cycles: count(r.n),
          met,
          breached,
          pending: count(r.n) - met - breached,
          attainmentPercent: percent(met, met + breached),
          resolutionBreached: count(r.resolution_breached),
        };
      },
    }),
  },
  {
    name: 'backlog',
    title: 'Backlog by status and age',
    definition:
      'The cases not closed at the moment `to` (default: now), by status (open, awaiting-customer, resolved) as it was at that moment, and by age at that moment (from the opening: 0-1d, 1-3d, 3-7d, 7-30d, 30d+, calendar time). Read from the status history, so any past moment gives the backlog as it stood then; `from` is not used. A case is grouped under the priority and vendor it had at that moment.',
    pointInTime: true,
    groupBy: { default: 'none', allowed: NO_WEEK },
    columns: ['status', 'ageBucket', 'cases'],
    run: async (db, { to, groupBy }) => {
      const g = groupExpr(groupBy, 'started_at');
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT ${g} AS grp, status,
            CASE WHEN $1::timestamptz - opened_at < interval '1 day' THEN '0-1d'
                 WHEN $1::timestamptz - opened_at < interval '3 days' THEN '1-3d'
                 WHEN $1::timestamptz - opened_at < interval '7 days' THEN '3-7d'
                 WHEN $1::timestamptz - opened_at < interval '30 days' THEN '7-30d'
                 ELSE '30d+' END AS age_bucket,
            count(*) AS n
          FROM ${REPORT_TABLES.spans}
          WHERE coalesce(ended_at, 'infinity'::timestamptz) > $1::timestamptz AND started_at <= $1::timestamptz
            AND status <> 'closed'
          GROUP BY 1, 2, 3`,
        [to.toISOString()],
      );
      return rows
        .map((r) => ({ grp: String(r.grp), status: String(r.status), bucket: String(r.age_bucket), n: count(r.n) }))
        .sort(
          (a, b) =>
            (a.grp < b.grp ? -1 : a.grp > b.grp ? 1 : 0) ||
            STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
            AGE_BUCKETS.indexOf(a.bucket as (typeof AGE_BUCKETS)[number]) -
              AGE_BUCKETS.indexOf(b.bucket as (typeof AGE_BUCKETS)[number]),
        )
        .map((r) => withGroup(groupBy, r.grp, { status: r.status, ageBucket: r.bucket, cases: r.n }));
    },
  },
  {
    name: 'outcomes',
    title: 'Outcome mix (R12)',
    definition:
      'The resolutions recorded in [from, to) (one per resolution cycle: a case resolved, reopened and resolved again counts twice), by outcome; share = the outcome’s resolutions / all resolutions of the group, in percent. ' +
      CYCLE_GROUPING,
    groupBy: { default: 'none', allowed: ALL },
    columns: ['outcome', 'resolutions', 'sharePercent'],
    run: async (db, q) => {
      const rows = await byGroup(
        db,
        q,
        (g) => `SELECT ${g} AS grp, outcome, count(*) AS n
          FROM ${REPORT_TABLES.cycles} WHERE ${period('resolved_at')}
          GROUP BY 1, 2 ORDER BY 1, 2`,
        groupExpr(q.groupBy, 'resolved_at'),
      );
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(String(r.grp), (totals.get(String(r.grp)) ?? 0) + count(r.n));
      return rows.map((r) =>
        withGroup(q.groupBy, r.grp, {
          outcome: String(r.outcome),
          resolutions: count(r.n),
          sharePercent: percent(count(r.n), totals.get(String(r.grp)) ?? 0),
        }),
      );
    },
  },
  {
    name: 'escalation-rate',
    title: 'Escalation rate (R13)',
    definition:
      'Of the cases opened in [from, to), the share escalated at least once (to a product team, a third party or a supervisor, at any time since), in percent. A case is grouped under the priority derived at opening and the vendor it is routed to now.',
    groupBy: { default: 'priority', allowed: ALL },
    columns: ['cases', 'escalated', 'escalations', 'ratePercent'],
    run: perGroup({
      timeColumn: 'opened_at',
      priorityColumn: 'opened_priority',
      sql: (g) => `SELECT ${g} AS grp, count(*) AS n, count(*) FILTER (WHERE escalations > 0) AS escalated,
              sum(escalations) AS escalations
            FROM ${REPORT_TABLES.cases} WHERE ${period('opened_at')}
            GROUP BY 1 ORDER BY 1`,
      row: (r) => ({
        cases: count(r.n),
        escalated: count(r.escalated),
        escalations: count(r.escalations),
        ratePercent: percent(count(r.escalated), count(r.n)),
      }),
    }),
  },
  {
    name: 'customer-wait',
    title: 'Time waiting on customers (R11)',
    definition:
      'The waits on the customer that ended in [from, to): each runs from an information request on an open case to the customer’s answer (or to a resolution or closing that ended it), in hours of calendar time (customers are not bound to the desk’s hours). Count, total, mean, median and 90th percentile. A wait is grouped under the case’s priority and vendor when it began.',
    groupBy: { default: 'priority', allowed: ALL },
    columns: ['waits', 'totalHours', 'meanHours', 'medianHours', 'p90Hours'],
    run: perGroup({
      timeColumn: 'ended_at',
      sql: (g) => `SELECT ${g} AS grp, count(*) AS n,
              sum(extract(epoch FROM ended_at - started_at)) / 3600 AS total,
              avg(extract(epoch FROM ended_at - started_at)) / 3600 AS mean,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)) / 3600 AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at)) / 3600 AS p90
            FROM ${REPORT_TABLES.waits} WHERE ${period('ended_at')}
            GROUP BY 1 ORDER BY 1`,
      row: (r) => ({
        waits: count(r.n),
        totalHours: round(r.total),
        meanHours: round(r.mean),
        medianHours: round(r.median),
        p90Hours: round(r.p90),
      }),
    }),
  },
  {
    name: 'csat',
    title: 'Customer satisfaction (R15)',
    definition:
      'The satisfaction surveys sent in [from, to) (one per resolution cycle) and their answers, whenever given: response rate = answered / sent; average rating (1 to 5) and the share of ratings 4 or 5 (satisfied), in percent of the answered. ' +
      CYCLE_GROUPING,
    groupBy: { default: 'none', allowed: ALL },
    columns: ['sent', 'answered', 'responseRatePercent', 'averageRating', 'satisfiedPercent'],
    run: perGroup({
      timeColumn: 'survey_sent_at',
      sql: (g) => `SELECT ${g} AS grp, count(*) AS sent, count(rating) AS answered, avg(rating) AS average,
              count(*) FILTER (WHERE rating >= 4) AS satisfied
            FROM ${REPORT_TABLES.cycles} WHERE ${period('survey_sent_at')}
            GROUP BY 1 ORDER BY 1`,
      row: (r) => ({
        sent: count(r.sent),
        answered: count(r.answered),
        responseRatePercent: percent(count(r.answered), count(r.sent)),
        averageRating: round(r.average, 2),
        satisfiedPercent: percent(count(r.satisfied), count(r.answered)),
      }),
    }),
  },
  {
    name: 'credits',
    title: 'Service credits issued (R14)',
    definition:
      'The service credits issued in [from, to) (at most one per case), by currency: how many, and the sum of their amounts. Amounts of different currencies are never added together. A credit is grouped under the case’s priority and vendor when it was issued.',
    groupBy: { default: 'none', allowed: ALL },
    columns: ['currency', 'credits', 'amount'],
    run: perGroup({
      timeColumn: 'issued_at',
      sql: (g) => `SELECT ${g} AS grp, currency, count(*) AS n, sum(amount) AS amount
            FROM ${REPORT_TABLES.credits} WHERE ${period('issued_at')}
            GROUP BY 1, 2 ORDER BY 1, 2`,
      row: (r) => ({ currency: String(r.currency), credits: count(r.n), amount: round(r.amount, 2) }),
    }),
  },
  {
    name: 'reopen-rate',
    title: 'Reopen rate (R15)',
    definition:
      'Of the resolutions recorded in [from, to), the share whose case was reopened afterwards (at any time since), in percent. ' +
      CYCLE_GROUPING,
    groupBy: { default: 'priority', allowed: ALL },
    columns: ['resolutions', 'reopened', 'ratePercent'],
    run: perGroup({
      timeColumn: 'resolved_at',
      sql: (g) => `SELECT ${g} AS grp, count(*) AS n, count(*) FILTER (WHERE reopened_at IS NOT NULL) AS reopened
            FROM ${REPORT_TABLES.cycles} WHERE ${period('resolved_at')}
            GROUP BY 1 ORDER BY 1`,
      row: (r) => ({
        resolutions: count(r.n),
        reopened: count(r.reopened),
        ratePercent: percent(count(r.reopened), count(r.n)),
      }),
    }),
  },
];

/** A deflection figure as a report cell. */
const deflectionRow = (f: DeflectionFigures): ReportRow => ({
  intakes: f.intakes,
  deflected: f.deflected,
  attachedToRecentCase: f.attachedToRecentCase,
  casesOpened: f.casesOpened,
  abandoned: f.abandoned,
  stillOpen: f.stillOpen,
  deflectionRate: f.deflectionRate,
  topDeflectingArticles: f.topDeflectingArticles.map((a) => ({ articleId: a.articleId, deflections: a.deflections })),
  articlesNeverHelpful: f.articlesNeverHelpful.map((a) => ({ articleId: a.articleId, intakesShown: a.intakesShown })),
});

/** R5–R8: the help assistant's intakes, from the `intakes` read model. */
const deflection: ReportDefinition = {
  name: 'deflection',
  title: 'Help assistant deflection (R5–R8)',
  definition:
    'The help assistant’s intakes started in [from, to), each counted once, from its events, by how it stands now (for a report as of a past moment, as it stood then): intakes; deflected (an article it suggested solved the problem, R5); attachedToRecentCase (the problem was that of a recent case, and the message went onto it, R6); casesOpened (the admin still needed help and asked for a case, R7–R8: counted at the request, whose case the API opens at once, or the worker after a crash between the two writes); abandoned (no action for INTAKE_ABANDON_AFTER, default 24 h: ended by the worker); stillOpen (none of these yet). intakes = deflected + attachedToRecentCase + casesOpened + abandoned + stillOpen. deflectionRate = deflected / intakes, a fraction from 0 to 1, not rounded; null when there are no intakes. ' +
    `topDeflectingArticles: the ${TOP_DEFLECTING_ARTICLES} articles that ended the most intakes of the group, with how many (deflections, every revision of an article together), most first, ties by article id. ` +
    'articlesNeverHelpful: every article shown in at least one intake of the group (in any suggestion: the first one or a search again) that ended none of the group’s intakes, with in how many of them it was shown (intakesShown), most first, ties by article id. ' +
    'An intake is grouped under the product it started with ((none) without one), its language, the ISO week (UTC) it started in, or, for article, the article that deflected it ((none) for the intakes not deflected; so in an article’s group every intake was deflected by that article, and its other shown articles are never helpful there). total: the same figures over every intake of the period.',
  groupBy: { default: 'product', allowed: DEFLECTION_GROUP_BYS },
  columns: DEFLECTION_COLUMNS,
  projection: INTAKES_PROJECTION,
  streams: ['case', 'intake'],
  run: async (db, { from, to, groupBy }) => {
    const { groups, total } = aggregateDeflection(await intakesStartedIn(db, from, to), {
      from,
      to,
      groupBy: groupBy as DeflectionGroupBy,
    });
    return {
      rows: groups.map((g) => withGroup(groupBy, g.key, deflectionRow(g.figures))),
      total: deflectionRow(total),
    };
  },
};

const definitions: readonly ReportDefinition[] = [
  ...caseReports.map((d): ReportDefinition => ({ ...d, projection: CASE_REPORTS_PROJECTION, streams: ['case'] })),
  deflection,
];

export const REPORTS: ReadonlyMap<ReportName, ReportDefinition> = new Map(definitions.map((d) => [d.name, d]));
