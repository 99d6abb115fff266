import { readFileSync } from 'node:fs';
import { ARTICLE_LANGUAGES, type ArticleLanguage } from '@app/case-domain';

/**
 * The labelled evaluation set of the help search (`libs/help-centre/data/search-eval.json`):
 * problem descriptions as support admins type them, each with the ids of the articles that
 * answer it, and the measures the search benchmark reports.
 */
export interface LabelledQuery {
  readonly language: ArticleLanguage;
  readonly query: string;
  /** the articles that answer it: any one of them in the results is an answer */
  readonly answers: readonly string[];
}

/** Reads `{ "queries": [{ language, query, answers }, …] }`; throws on any malformed entry. */
export const loadSearchEvalSet = (file: string): LabelledQuery[] => {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { queries?: unknown };
  if (!Array.isArray(raw?.queries)) throw new Error(`${file}: expected { "queries": [ … ] }`);
  return raw.queries.map((entry: Partial<LabelledQuery>, i: number) => {
    const ok =
      ARTICLE_LANGUAGES.includes(entry.language as ArticleLanguage) &&
      typeof entry.query === 'string' &&
      entry.query.trim() !== '' &&
      Array.isArray(entry.answers) &&
      entry.answers.length > 0 &&
      entry.answers.every((a) => typeof a === 'string');
    if (!ok) throw new Error(`${file}: queries[${i}] needs a language (fr, en), a query and answers`);
    return {
      language: entry.language as ArticleLanguage,
      query: entry.query as string,
      answers: entry.answers as string[],
    };
  });
};

/** The 1-based rank of the first answer in `ranked`, or null when none is there. */
export const firstAnswerRank = (ranked: readonly string[], answers: readonly string[]): number | null => {
  const index = ranked.findIndex((id) => answers.includes(id));
  return index < 0 ? null : index + 1;
};

export interface SearchQuality {
  /** share of queries answered in the first `k` results (any of their answers) */
  readonly recallAtK: number;
  /** mean reciprocal rank of the first answer (0 for a query not answered in its results) */
  readonly mrr: number;
  /** share of all the labelled answers found in the first `k` results of their query */
  readonly labelRecallAtK: number;
}

/**
 * Recall@k as the help assistant needs it (the admin's problem is answered when one of the
 * articles that answer it is among the first k shown), the MRR of the first answer, and the
 * stricter share of every labelled answer found in the first k.
 */
export const searchQuality = (
  results: readonly { readonly ranked: readonly string[]; readonly answers: readonly string[] }[],
  k = 3,
): SearchQuality => {
  if (results.length === 0) return { recallAtK: 0, mrr: 0, labelRecallAtK: 0 };
  let answered = 0;
  let reciprocal = 0;
  let labels = 0;
  let labelsFound = 0;
  for (const { ranked, answers } of results) {
    const rank = firstAnswerRank(ranked, answers);
    if (rank !== null && rank <= k) answered += 1;
    if (rank !== null) reciprocal += 1 / rank;
    labels += answers.length;
    labelsFound += answers.filter((a) => ranked.slice(0, k).includes(a)).length;
  }
  return {
    recallAtK: answered / results.length,
    mrr: reciprocal / results.length,
    labelRecallAtK: labelsFound / labels,
  };
};
