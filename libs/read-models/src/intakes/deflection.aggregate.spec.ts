import { aggregateDeflection, deflectionFigures, isoWeekOf, TOP_DEFLECTING_ARTICLES } from './deflection.aggregate';
import type { IntakeRow } from './intake-row.evolve';

let n = 0;
/** An intake row as the read model holds it: started at `startedAt`, the rest as given. */
const intake = (startedAt: string, o: Partial<IntakeRow> = {}): IntakeRow => ({
  intakeId: `i-${++n}`,
  status: 'suggesting',
  tenant: 'acme.example',
  product: 'drive',
  language: 'fr',
  startedAt,
  endedAt: null,
  deflectingArticleId: null,
  deflectingArticleVersion: null,
  caseId: null,
  caseOpened: false,
  lastActivityAt: startedAt,
  articlesShown: [],
  version: 2,
  ...o,
});
const deflectedBy = (articleId: string, shown: string[]): Partial<IntakeRow> => ({
  status: 'deflected',
  deflectingArticleId: articleId,
  deflectingArticleVersion: 1,
  articlesShown: shown,
});

const PERIOD = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z') };

/**
 * Ten intakes, worked out by hand. In the period [2 March, 16 March): 2 March (ISO week
 * 2026-W10) and 9 March (2026-W11). Two more are outside it, one a row not started yet.
 *
 *   #  week  product  lang  ending         deflecting  shown
 *   1  W10   drive    fr    deflected      kb-a        kb-a kb-b
 *   2  W10   drive    fr    deflected      kb-a        kb-a kb-c
 *   3  W10   drive    en    deflected      kb-b        kb-b kb-c
 *   4  W10   mail     fr    attached       -           kb-c
 *   5  W11   mail     en    case-requested -           kb-c kb-d
 *   6  W11   (none)   en    abandoned      -           kb-d
 *   7  W11   drive    fr    suggesting     -           kb-a kb-e
 *   8  W11   mail     fr    deflected      kb-e        kb-e
 *   -  1 March (before the period): deflected by kb-z
 *   -  16 March 00:00 (to is excluded): suggesting
 *   -  a row only the case's Opened made (no start): never counted
 */
const ROWS: IntakeRow[] = [
  intake('2026-03-02T09:00:00.000Z', deflectedBy('kb-a', ['kb-a', 'kb-b'])),
  intake('2026-03-02T10:00:00.000Z', deflectedBy('kb-a', ['kb-a', 'kb-c'])),
  intake('2026-03-03T10:00:00.000Z', { ...deflectedBy('kb-b', ['kb-b', 'kb-c']), language: 'en' }),
  intake('2026-03-08T23:59:59.999Z', { status: 'attached', caseId: 'c-1', product: 'mail', articlesShown: ['kb-c'] }),
  intake('2026-03-09T00:00:00.000Z', {
    status: 'case-requested',
    caseId: 'c-2',
    product: 'mail',
    language: 'en',
    articlesShown: ['kb-c', 'kb-d'],
  }),
  intake('2026-03-10T08:00:00.000Z', { status: 'abandoned', product: null, language: 'en', articlesShown: ['kb-d'] }),
  intake('2026-03-11T08:00:00.000Z', { articlesShown: ['kb-a', 'kb-e'] }),
  intake('2026-03-15T23:59:59.000Z', { ...deflectedBy('kb-e', ['kb-e']), product: 'mail' }),
  intake('2026-03-01T23:59:59.999Z', deflectedBy('kb-z', ['kb-z'])),
  intake('2026-03-16T00:00:00.000Z', { articlesShown: ['kb-y'] }),
  { ...intake('2026-03-05T00:00:00.000Z'), status: 'not-started', startedAt: null, caseOpened: true },
];

describe('the deflection report’s aggregation (pure, over intakes rows)', () => {
  it('counts the intakes started in [from, to), by how each ended, with the exact rate, in total', () => {
    const { total, groups } = aggregateDeflection(ROWS, { ...PERIOD, groupBy: 'none' });
    expect(total).toEqual({
      intakes: 8,
      deflected: 4,
      attachedToRecentCase: 1,
      casesOpened: 1,
      abandoned: 1,
      stillOpen: 1,
      deflectionRate: 0.5,
      topDeflectingArticles: [
        { articleId: 'kb-a', deflections: 2 },
        { articleId: 'kb-b', deflections: 1 },
        { articleId: 'kb-e', deflections: 1 },
      ],
      // kb-c shown in #2 #3 #4 #5, kb-d in #5 #6; kb-a, kb-b, kb-e deflected some; kb-y, kb-z out of the period
      articlesNeverHelpful: [
        { articleId: 'kb-c', intakesShown: 4 },
        { articleId: 'kb-d', intakesShown: 2 },
      ],
    });
    // for none, the one row is the total
    expect(groups).toEqual([{ key: 'all', figures: total }]);
  });

  it('groups by product, (none) for an intake without one, each group with its own articles', () => {
    const { groups, total } = aggregateDeflection(ROWS, { ...PERIOD, groupBy: 'product' });
    expect(groups.map((g) => [g.key, g.figures.intakes, g.figures.deflected, g.figures.deflectionRate])).toEqual([
      ['(none)', 1, 0, 0],
      ['drive', 4, 3, 0.75],
      ['mail', 3, 1, 1 / 3],
    ]);
    const drive = groups[1].figures;
    expect(drive).toMatchObject({ attachedToRecentCase: 0, casesOpened: 0, abandoned: 0, stillOpen: 1 });
    expect(drive.topDeflectingArticles).toEqual([
      { articleId: 'kb-a', deflections: 2 },
      { articleId: 'kb-b', deflections: 1 },
    ]);
    // kb-e deflected a mail intake, not a drive one: never helpful for drive
    expect(drive.articlesNeverHelpful).toEqual([
      { articleId: 'kb-c', intakesShown: 2 },
      { articleId: 'kb-e', intakesShown: 1 },
    ]);
    expect(groups[2].figures).toMatchObject({
      intakes: 3,
      deflected: 1,
      attachedToRecentCase: 1,
      casesOpened: 1,
      topDeflectingArticles: [{ articleId: 'kb-e', deflections: 1 }],
      articlesNeverHelpful: [
        { articleId: 'kb-c', intakesShown: 2 },
        { articleId: 'kb-d', intakesShown: 1 },
      ],
    });
    // the total does not depend on the grouping
    expect(total).toEqual(aggregateDeflection(ROWS, { ...PERIOD, groupBy: 'none' }).total);
  });

  it('groups by language, by the ISO week (UTC) of the start, and by the deflecting article', () => {
    const counts = (groupBy: 'language' | 'week' | 'article') =>
      aggregateDeflection(ROWS, { ...PERIOD, groupBy }).groups.map((g) => [
        g.key,
        g.figures.intakes,
        g.figures.deflected,
        g.figures.stillOpen,
      ]);
    expect(counts('language')).toEqual([
      ['en', 3, 1, 0],
      ['fr', 5, 3, 1],
    ]);
    // Sunday 8 March 23:59:59.999 is still W10; Monday 9 March 00:00 is W11
    expect(counts('week')).toEqual([
      ['2026-W10', 4, 3, 0],
      ['2026-W11', 4, 1, 1],
    ]);
    expect(counts('article')).toEqual([
      ['(none)', 4, 0, 1],
      ['kb-a', 2, 2, 0],
      ['kb-b', 1, 1, 0],
      ['kb-e', 1, 1, 0],
    ]);
    const [none, kbA] = aggregateDeflection(ROWS, { ...PERIOD, groupBy: 'article' }).groups;
    expect(none.figures).toMatchObject({ deflectionRate: 0, topDeflectingArticles: [] });
    // in kb-a's group every intake was deflected by kb-a: the others shown there never helped
    expect(kbA.figures.articlesNeverHelpful).toEqual([
      { articleId: 'kb-b', intakesShown: 1 },
      { articleId: 'kb-c', intakesShown: 1 },
    ]);
  });

  it('has a null rate and empty lists over no intakes', () => {
    expect(
      aggregateDeflection(ROWS, {
        from: new Date('2027-01-01T00:00:00Z'),
        to: new Date('2027-02-01T00:00:00Z'),
        groupBy: 'product',
      }),
    ).toEqual({
      groups: [],
      total: {
        intakes: 0,
        deflected: 0,
        attachedToRecentCase: 0,
        casesOpened: 0,
        abandoned: 0,
        stillOpen: 0,
        deflectionRate: null,
        topDeflectingArticles: [],
        articlesNeverHelpful: [],
      },
    });
  });

  it(`lists the ${TOP_DEFLECTING_ARTICLES} top deflecting articles, most first, ties by id`, () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 1 }, () => intake('2026-03-02T09:00:00.000Z', deflectedBy(`kb-${i % 11}`, []))),
    ).flat();
    const top = deflectionFigures(rows).topDeflectingArticles;
    // kb-0 deflected 1 + 12 intakes, kb-10 11, kb-9 10, …, kb-1 2
    expect(top.map((a) => [a.articleId, a.deflections])).toEqual([
      ['kb-0', 13],
      ['kb-10', 11],
      ['kb-9', 10],
      ['kb-8', 9],
      ['kb-7', 8],
      ['kb-6', 7],
      ['kb-5', 6],
      ['kb-4', 5],
      ['kb-3', 4],
      ['kb-2', 3],
    ]);
    const tie = deflectionFigures([
      intake('2026-03-02T09:00:00.000Z', deflectedBy('kb-b', ['kb-b'])),
      intake('2026-03-02T09:00:00.000Z', deflectedBy('kb-a', ['kb-a'])),
    ]);
    expect(tie.topDeflectingArticles.map((a) => a.articleId)).toEqual(['kb-a', 'kb-b']);
  });

  it('names ISO weeks as PostgreSQL does (IYYY-"W"IW), across year ends', () => {
    expect(isoWeekOf('2026-03-02T00:00:00.000Z')).toBe('2026-W10');
    expect(isoWeekOf('2026-03-08T23:59:59.999Z')).toBe('2026-W10');
    expect(isoWeekOf('2026-01-01T12:00:00.000Z')).toBe('2026-W01'); // a Thursday
    expect(isoWeekOf('2027-01-01T12:00:00.000Z')).toBe('2026-W53'); // a Friday: the last week of 2026
    expect(isoWeekOf('2024-12-30T00:00:00.000Z')).toBe('2025-W01'); // a Monday of 2025's first week
    expect(isoWeekOf('2021-01-03T23:00:00.000Z')).toBe('2020-W53');
  });
});
