import { ARTICLE_LANGUAGES, type ArticleLanguage } from '@app/case-domain';
import type { SqlQueryable } from '@app/event-store';
import { statementName } from '../sql-rows';
import {
  HELP_ARTICLES_TABLE,
  HELP_SEARCH_COUNTS_TABLE,
  HELP_SEARCH_TERMS_TABLE,
  SEARCH_CONFIGURATIONS,
} from './help-articles.projection';
import { planSearch, searchTerms, tsqueryText, type SearchPlan } from './search-terms';

export interface HelpSearchQuery {
  /** what the admin typed: a few words or a whole problem description */
  readonly query: string;
  /** the admin's language: its articles come first */
  readonly language: ArticleLanguage;
  /** only articles about this product (one of their `products`) */
  readonly product?: string;
  /** 1 to {@link MAX_HELP_SEARCH_RESULTS}; default 5 */
  readonly limit?: number;
}

export interface HelpSearchHit {
  readonly articleId: string;
  /** the revision found: the article as the admin is shown it */
  readonly version: number;
  readonly title: string;
  readonly language: ArticleLanguage;
  /** `ts_rank_cd` of the article for this query: comparable within one language's results */
  readonly score: number;
}

export const MAX_HELP_SEARCH_RESULTS = 50;

/** A search the caller got wrong (an unknown language): 400. */
export class HelpSearchInvalid extends Error {
  readonly code = 'HELP_SEARCH.INVALID';
  readonly status = 400;
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'HelpSearchInvalid';
  }
}

/**
 * Weights of `ts_rank_cd` for the labels {D, C, B, A}: a word in the title (A) counts two and
 * a half times a word of the body (B).
 */
const WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';
/**
 * `ts_rank_cd` normalisation 1: the rank divided by 1 + the logarithm of the document's
 * length, so that a long article does not win by containing every common word once.
 */
const NORMALISATION = 1;

/**
 * One statement per language, the language a constant in its text: the planner then sees
 * that the partial GIN index of that language's published articles answers it.
 */
const SEARCH_SQL = Object.fromEntries(
  ARTICLE_LANGUAGES.map((language) => [
    language,
    `SELECT article_id, version, title, language, ts_rank_cd('${WEIGHTS}', document, r, ${NORMALISATION}) AS score
       FROM ${HELP_ARTICLES_TABLE},
            to_tsquery('${SEARCH_CONFIGURATIONS[language]}', $1) AS m,
            to_tsquery('${SEARCH_CONFIGURATIONS[language]}', $2) AS r
      WHERE published AND language = '${language}' AND document @@ m
        AND ($3::text IS NULL OR $3 = ANY (products))
      ORDER BY score DESC, article_id
      LIMIT $4`,
  ]),
) as Record<ArticleLanguage, string>;

/**
 * How many published articles of the language each word matches: the word's lexeme in the
 * language's configuration (none for a stop word), its count, or for a prefix the sum of
 * the counts of the lexemes it begins (a range of the primary key, collation "C"); and the
 * number of published articles.
 */
const FREQUENCY_SQL = Object.fromEntries(
  ARTICLE_LANGUAGES.map((language) => [
    language,
    `SELECT w.word, w.prefix, l.lexeme,
            CASE WHEN l.lexeme IS NULL THEN NULL
                 WHEN w.prefix THEN (SELECT coalesce(sum(s.documents), 0) FROM ${HELP_SEARCH_TERMS_TABLE} s
                                      WHERE s.language = '${language}' AND s.lexeme >= l.lexeme
                                        AND s.lexeme < l.lexeme || chr(1114111))
                 ELSE coalesce((SELECT s.documents FROM ${HELP_SEARCH_TERMS_TABLE} s
                                 WHERE s.language = '${language}' AND s.lexeme = l.lexeme), 0)
            END AS documents,
            (SELECT c.documents FROM ${HELP_SEARCH_COUNTS_TABLE} c WHERE c.language = '${language}') AS total
       FROM unnest($1::text[], $2::boolean[]) AS w(word, prefix)
       LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('${SEARCH_CONFIGURATIONS[language]}', w.word))) AS l(lexeme)
         ON true`,
  ]),
) as Record<ArticleLanguage, string>;

/**
 * Both statements are named: PostgreSQL plans them once per connection (planning a text
 * search costs as much as running it: it loads the configuration's dictionaries and reads the
 * column's statistics). The plan stays good for any query: the partial GIN index of the
 * language, then the ranking of what it found.
 */
const namedEach = (sql: Record<ArticleLanguage, string>) =>
  Object.fromEntries(ARTICLE_LANGUAGES.map((l) => [l, { name: statementName(sql[l]) }])) as Record<
    ArticleLanguage,
    { name: string }
  >;
const FREQUENCY_STATEMENTS = namedEach(FREQUENCY_SQL);
const SEARCH_STATEMENTS = namedEach(SEARCH_SQL);

type FrequencyRow = {
  word: string;
  prefix: boolean;
  lexeme: string | null;
  documents: number | string | null;
  total: number | string | null;
};

/** How to search for `query` in `language`'s articles (search-terms.ts), or null when no article holds any of its words. */
const searchPlan = async (db: SqlQueryable, query: string, language: ArticleLanguage): Promise<SearchPlan | null> => {
  const groups = searchTerms(query, language);
  const words = new Map<string, { word: string; prefix: boolean }>();
  for (const group of groups)
    for (const a of group)
      a.words.forEach((word, i) => {
        const prefix = a.prefix && i === a.words.length - 1;
        words.set(`${word}:${prefix}`, { word, prefix });
      });
  if (words.size === 0) return null;
  const { rows } = await db.query<FrequencyRow>(
    FREQUENCY_SQL[language],
    [[...words.values()].map((w) => w.word), [...words.values()].map((w) => w.prefix)],
    FREQUENCY_STATEMENTS[language],
  );
  const frequency = new Map<string, number | undefined>();
  for (const r of rows)
    frequency.set(`${r.word}:${r.prefix}`, r.lexeme === null || r.documents === null ? undefined : Number(r.documents));
  const total = Number(rows[0]?.total ?? 0);
  return planSearch(groups, (word, prefix) => frequency.get(`${word}:${prefix}`), total);
};

type HitRow = { article_id: string; version: number | string; title: string; language: string; score: number | string };

const searchOne = async (
  db: SqlQueryable,
  query: string,
  language: ArticleLanguage,
  product: string | null,
  limit: number,
): Promise<HelpSearchHit[]> => {
  const plan = await searchPlan(db, query, language);
  if (plan === null) return [];
  const { rows } = await db.query<HitRow>(
    SEARCH_SQL[language],
    [tsqueryText(plan.match, plan.all), tsqueryText(plan.rank), product, limit],
    SEARCH_STATEMENTS[language],
  );
  return rows.map((r) => ({
    articleId: r.article_id,
    version: Number(r.version),
    title: r.title,
    language: r.language as ArticleLanguage,
    score: Number(r.score),
  }));
};

/**
 * The help-centre articles that best answer `query` (R5): the latest revision of published
 * articles only, best first, those in the admin's language first; articles in the other
 * languages, parsed with their own configuration, fill the rest of the page when the admin's
 * language has fewer than `limit` matches. Accents, case and word endings do not matter;
 * the last word may be unfinished.
 */
export const searchHelpArticles = async (db: SqlQueryable, search: HelpSearchQuery): Promise<HelpSearchHit[]> => {
  const language = search.language;
  if (!ARTICLE_LANGUAGES.includes(language))
    throw new HelpSearchInvalid(`language must be one of ${ARTICLE_LANGUAGES.join(', ')}`);
  const asked = Number.isFinite(search.limit) ? Math.trunc(search.limit as number) : 5;
  const limit = Math.min(Math.max(asked, 1), MAX_HELP_SEARCH_RESULTS);
  const product = search.product?.trim().toLowerCase() || null;
  const hits = await searchOne(db, search.query, language, product, limit);
  for (const other of ARTICLE_LANGUAGES) {
    if (hits.length >= limit) break;
    if (other !== language) hits.push(...(await searchOne(db, search.query, other, product, limit - hits.length)));
  }
  return hits;
};
