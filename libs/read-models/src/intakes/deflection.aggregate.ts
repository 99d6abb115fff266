import type { IntakeRow } from './intake-row.evolve';

/**
 * The deflection report's figures (docs/metrics.md, `deflection`), aggregated from the
 * `intakes` rows: pure, so the live report (rows read from the read model) and the report
 * as of a past moment (rows replayed from the log, libs/audit) count exactly alike.
 */

export const DEFLECTION_GROUP_BYS = ['none', 'product', 'language', 'article', 'week'] as const;
export type DeflectionGroupBy = (typeof DEFLECTION_GROUP_BYS)[number];

/** how many of the top deflecting articles a group lists */
export const TOP_DEFLECTING_ARTICLES = 10;

/** the group of an intake with no product, or not deflected (`article`) */
export const NO_GROUP = '(none)';

export interface ArticleDeflections {
  readonly articleId: string;
  /** intakes of the group this article ended (all its revisions together) */
  readonly deflections: number;
}

export interface ArticleNeverHelpful {
  readonly articleId: string;
  /** intakes of the group that showed it */
  readonly intakesShown: number;
}

export interface DeflectionFigures {
  readonly intakes: number;
  readonly deflected: number;
  readonly attachedToRecentCase: number;
  /** intakes that asked for a case (R8) */
  readonly casesOpened: number;
  readonly abandoned: number;
  /** still suggesting */
  readonly stillOpen: number;
  /** deflected / intakes, unrounded; null for no intakes */
  readonly deflectionRate: number | null;
  /** most deflections first, then by id; at most {@link TOP_DEFLECTING_ARTICLES} */
  readonly topDeflectingArticles: readonly ArticleDeflections[];
  /** shown in at least one intake of the group, deflecting none of them: most shown first, then by id */
  readonly articlesNeverHelpful: readonly ArticleNeverHelpful[];
}

/** The figures' names in the order a row lists them (the CSV's columns after the group). */
export const DEFLECTION_COLUMNS = [
  'intakes',
  'deflected',
  'attachedToRecentCase',
  'casesOpened',
  'abandoned',
  'stillOpen',
  'deflectionRate',
  'topDeflectingArticles',
  'articlesNeverHelpful',
] as const satisfies readonly (keyof DeflectionFigures)[];

export interface DeflectionAggregate {
  /** one per group with at least one intake, by group key (code-point order); for `none`, the total alone */
  readonly groups: readonly { readonly key: string; readonly figures: DeflectionFigures }[];
  readonly total: DeflectionFigures;
}

const DAY_MS = 86_400_000;

/** The ISO 8601 week of an instant, in UTC: `2026-W10` (as PostgreSQL's `IYYY-"W"IW`). */
export const isoWeekOf = (instant: string): string => {
  const d = new Date(instant);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const monday = midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  // the week belongs to the year of its Thursday; week 1 is the one with that year's 4 January
  const year = new Date(monday + 3 * DAY_MS).getUTCFullYear();
  const january4 = Date.UTC(year, 0, 4);
  const firstMonday = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * DAY_MS;
  const week = Math.round((monday - firstMonday) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
};

/** The group an intake is counted in. */
export const deflectionGroupOf = (row: IntakeRow, groupBy: DeflectionGroupBy): string => {
  switch (groupBy) {
    case 'none':
      return 'all';
    case 'product':
      return row.product ?? NO_GROUP;
    case 'language':
      return row.language ?? NO_GROUP;
    case 'article':
      return row.status === 'deflected' && row.deflectingArticleId !== null ? row.deflectingArticleId : NO_GROUP;
    case 'week':
      return isoWeekOf(row.startedAt as string);
  }
};

const byCountThenId =
  <K extends string>(count: K) =>
  (a: { articleId: string } & Record<K, number>, b: { articleId: string } & Record<K, number>): number =>
    b[count] - a[count] || (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0);

/** The figures of one set of intakes. */
export const deflectionFigures = (rows: readonly IntakeRow[]): DeflectionFigures => {
  const count = (status: IntakeRow['status']) => rows.filter((r) => r.status === status).length;
  const deflections = new Map<string, number>();
  const shown = new Map<string, number>();
  for (const r of rows) {
    if (r.status === 'deflected' && r.deflectingArticleId !== null)
      deflections.set(r.deflectingArticleId, (deflections.get(r.deflectingArticleId) ?? 0) + 1);
    for (const articleId of new Set(r.articlesShown)) shown.set(articleId, (shown.get(articleId) ?? 0) + 1);
  }
  const deflected = count('deflected');
  return {
    intakes: rows.length,
    deflected,
    attachedToRecentCase: count('attached'),
    casesOpened: count('case-requested'),
    abandoned: count('abandoned'),
    stillOpen: count('suggesting'),
    deflectionRate: rows.length === 0 ? null : deflected / rows.length,
    topDeflectingArticles: [...deflections]
      .map(([articleId, n]) => ({ articleId, deflections: n }))
      .sort(byCountThenId('deflections'))
      .slice(0, TOP_DEFLECTING_ARTICLES),
    articlesNeverHelpful: [...shown]
      .filter(([articleId]) => !deflections.has(articleId))
      .map(([articleId, n]) => ({ articleId, intakesShown: n }))
      .sort(byCountThenId('intakesShown')),
  };
};

/**
 * The deflection report over the intakes started in [from, to) (rows outside it, or never
 * started, are left out), per group and in total.
 */
export const aggregateDeflection = (
  rows: readonly IntakeRow[],
  { from, to, groupBy }: { readonly from: Date; readonly to: Date; readonly groupBy: DeflectionGroupBy },
): DeflectionAggregate => {
  const inPeriod = rows.filter((r) => {
    if (r.startedAt === null) return false;
    const t = Date.parse(r.startedAt);
    return t >= from.getTime() && t < to.getTime();
  });
  const total = deflectionFigures(inPeriod);
  if (groupBy === 'none') return { groups: [{ key: 'all', figures: total }], total };
  const groups = new Map<string, IntakeRow[]>();
  for (const r of inPeriod) {
    const key = deflectionGroupOf(r, groupBy);
    const members = groups.get(key);
    if (members) members.push(r);
    else groups.set(key, [r]);
  }
  return {
    groups: [...groups.keys()]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((key) => ({ key, figures: deflectionFigures(groups.get(key) as IntakeRow[]) })),
    total,
  };
};
