import { ARTICLE_LANGUAGES, type ArticleLanguage } from '@app/case-domain';
import type { SqlQueryable } from '@app/event-store';
import { statementName } from '../sql-rows';
import {
  HELP_ARTICLES_TABLE,
  HELP_SEARCH_COUNTS_TABLE,
  HELP_SEARCH_TERMS_TABLE,
  SEARCH_CONFIGURATIONS,
} from './help-articles.projection';
import { planSearch, searchTerms, tsqueryText, type SearchPlan, type TermGroup } from './search-terms';

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

const configOf = (languageColumn: string) =>
  `CASE ${languageColumn} ${ARTICLE_LANGUAGES.map((l) => `WHEN '${l}' THEN '${SEARCH_CONFIGURATIONS[l]}'::regconfig`).join(' ')} END`;

/**
 * How many published articles of a language each word matches: the word's lexeme in the
 * language's configuration (none for a stop word), its count, or for a prefix the sum of the
 * counts of the lexemes it begins (a range of the primary key, collation "C"); and how many
 * articles of the language are published. Every language's words in one statement.
 */
const FREQUENCY_SQL = `SELECT w.language, w.word, w.prefix, l.lexeme,
       CASE WHEN l.lexeme IS NULL THEN NULL
            WHEN w.prefix THEN (SELECT coalesce(sum(s.documents), 0) FROM ${HELP_SEARCH_TERMS_TABLE} s
                                 WHERE s.language = w.language AND s.lexeme >= l.lexeme
                                   AND s.lexeme < l.lexeme || chr(1114111))
            ELSE coalesce((SELECT s.documents FROM ${HELP_SEARCH_TERMS_TABLE} s
                            WHERE s.language = w.language AND s.lexeme = l.lexeme), 0)
       END AS documents,
       (SELECT c.documents FROM ${HELP_SEARCH_COUNTS_TABLE} c WHERE c.language = w.language) AS total
  FROM unnest($1::text[], $2::text[], $3::boolean[]) AS w(language, word, prefix)
  LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector(${configOf('w.language')}, w.word))) AS l(lexeme) ON true`;

/**
 * The matches of one language, best first: its language a constant, so that the planner
 * answers it with that language's partial GIN index; `$n`, `$n+1` its match and rank queries.
 */
const languagePart = (language: ArticleLanguage, n: number, part: number, guard: string) => `SELECT ${part} AS part,
         article_id, version, title, language, ts_rank_cd('${WEIGHTS}', document, r, ${NORMALISATION}) AS score
    FROM ${HELP_ARTICLES_TABLE},
         to_tsquery('${SEARCH_CONFIGURATIONS[language]}', $${n}) AS m,
         to_tsquery('${SEARCH_CONFIGURATIONS[language]}', $${n + 1}) AS r
   WHERE ${guard}published AND language = '${language}' AND document @@ m
     AND ($1::text IS NULL OR $1 = ANY (products))
   ORDER BY score DESC, article_id
   LIMIT $2`;

/**
 * For each language of the admin: its matches first, then those of the other languages,
 * which the database only looks for when the first part leaves the page short (the guard is
 * a one-time filter: otherwise that part is not run at all). `$1` product, `$2` limit, then
 * two tsquery texts per language, the admin's first.
 */
const searchOrder = (language: ArticleLanguage) => [language, ...ARTICLE_LANGUAGES.filter((l) => l !== language)];
const SEARCH_SQL = Object.fromEntries(
  ARTICLE_LANGUAGES.map((language) => {
    const parts = searchOrder(language).map((l, i) =>
      languagePart(l, 3 + 2 * i, i, i === 0 ? '' : '(SELECT count(*) FROM first) < $2 AND '),
    );
    return [
      language,
      `WITH first AS (${parts[0]})
SELECT part, article_id, version, title, language, score FROM first
${parts
  .slice(1)
  .map((p) => `UNION ALL (${p})`)
  .join('\n')}
ORDER BY part, score DESC, article_id
LIMIT $2`,
    ];
  }),
) as Record<ArticleLanguage, string>;

/**
 * Both statements are named: PostgreSQL plans them once per connection (planning a text
 * search costs as much as running it: it loads the configurations' dictionaries and reads
 * the column's statistics). The plan stays good for any query: the partial GIN index of
 * each language, then the ranking of what it found.
 */
const FREQUENCY_STATEMENT = { name: statementName(FREQUENCY_SQL) };
const SEARCH_STATEMENTS = Object.fromEntries(
  ARTICLE_LANGUAGES.map((l) => [l, { name: statementName(SEARCH_SQL[l]) }]),
) as Record<ArticleLanguage, { name: string }>;

type FrequencyRow = {
  language: string;
  word: string;
  prefix: boolean;
  lexeme: string | null;
  documents: number | string | null;
  total: number | string | null;
};

/** Every word of the groups, once, with whether it is searched as a prefix. */
const wordsOf = (groups: readonly TermGroup[]) => {
  const words = new Map<string, { word: string; prefix: boolean }>();
  for (const group of groups)
    for (const a of group)
      a.words.forEach((word, i) => {
        const prefix = a.prefix && i === a.words.length - 1;
        words.set(`${word}:${prefix}`, { word, prefix });
      });
  return [...words.values()];
};

/**
 * How to search for `query` in the articles of each language (search-terms.ts): null for a
 * language none of whose articles holds a word of it. One statement for the frequencies.
 */
const searchPlans = async (db: SqlQueryable, query: string): Promise<Map<ArticleLanguage, SearchPlan | null>> => {
  const groups = new Map(ARTICLE_LANGUAGES.map((l) => [l, searchTerms(query, l)]));
  const asked = ARTICLE_LANGUAGES.flatMap((language) =>
    wordsOf(groups.get(language) ?? []).map((w) => ({ language, ...w })),
  );
  const plans = new Map<ArticleLanguage, SearchPlan | null>(ARTICLE_LANGUAGES.map((l) => [l, null]));
  if (asked.length === 0) return plans;
  const { rows } = await db.query<FrequencyRow>(
    FREQUENCY_SQL,
    [asked.map((w) => w.language), asked.map((w) => w.word), asked.map((w) => w.prefix)],
    FREQUENCY_STATEMENT,
  );
  for (const language of ARTICLE_LANGUAGES) {
    const mine = rows.filter((r) => r.language === language);
    const frequency = new Map(
      mine.map((r) => [
        `${r.word}:${r.prefix}`,
        r.lexeme === null || r.documents === null ? undefined : Number(r.documents),
      ]),
    );
    const total = Number(mine[0]?.total ?? 0);
    plans.set(
      language,
      planSearch(groups.get(language) ?? [], (word, prefix) => frequency.get(`${word}:${prefix}`), total),
    );
  }
  return plans;
};

type HitRow = { article_id: string; version: number | string; title: string; language: string; score: number | string };

/**
 * The help-centre articles that best answer `query` (R5): the latest revision of published
 * articles only, best first, those in the admin's language first; articles in the other
 * languages, matched in their own configuration, fill the rest of the page when the admin's
 * language has fewer than `limit` matches. Accents, case and word endings do not matter;
 * the last word may be unfinished. Two statements: the words' frequencies, then the search.
 */
export const searchHelpArticles = async (db: SqlQueryable, search: HelpSearchQuery): Promise<HelpSearchHit[]> => {
  const language = search.language;
  if (!ARTICLE_LANGUAGES.includes(language))
    throw new HelpSearchInvalid(`language must be one of ${ARTICLE_LANGUAGES.join(', ')}`);
  const asked = Number.isFinite(search.limit) ? Math.trunc(search.limit as number) : 5;
  const limit = Math.min(Math.max(asked, 1), MAX_HELP_SEARCH_RESULTS);
  const product = search.product?.trim().toLowerCase() || null;
  const plans = await searchPlans(db, search.query);
  if ([...plans.values()].every((p) => p === null)) return [];
  // a language with nothing to match gets the empty query, which matches no article
  const texts = searchOrder(language).flatMap((l) => {
    const plan = plans.get(l);
    return plan ? [tsqueryText(plan.match, plan.all) ?? '', tsqueryText(plan.rank) ?? ''] : ['', ''];
  });
  const { rows } = await db.query<HitRow>(
    SEARCH_SQL[language],
    [product, limit, ...texts],
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
