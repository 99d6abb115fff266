import type { ArticleLanguage } from '@app/case-domain';
import { SEARCH_SYNONYMS, type SynonymList } from './search-synonyms';

/**
 * What an admin typed, turned into a PostgreSQL `tsquery` for the article language's text
 * search configuration: the database then removes accents and stop words and stems each
 * word, exactly as it did for the articles.
 *
 * A problem description is a sentence, not a list of keywords, and it rarely uses every
 * word of the right article: its words are OR-ed, and the ranking (`ts_rank_cd`, the title
 * weighted over the body) puts first the articles that match more of them, closer together
 * and in the title. Each word also matches its synonyms ({@link SEARCH_SYNONYMS}); the last
 * word, when the text does not end with a space or a punctuation mark, matches as a prefix
 * (`passw` finds `password`): the admin may still be typing it. Words that most articles
 * contain are left out before the search (help-search.query.ts, {@link keepDistinctive}).
 *
 * Only `[a-z0-9]` words reach the tsquery text, so no input can inject tsquery syntax.
 */

/** Words of a query beyond this are ignored (a pasted log must not make a huge query). */
export const MAX_QUERY_WORDS = 32;

/** Lower case, accents removed (é → e, ç → c). */
export const foldText = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** One way to match a word of the query: all its words must match (`mot & passe`). */
export interface Alternative {
  readonly words: readonly string[];
  /** the last word matches as a prefix */
  readonly prefix: boolean;
}

/** A word of the query (or a two-word expression), as its alternatives: the word itself, then its synonyms. */
export type TermGroup = readonly Alternative[];

const alternativesOf = (key: string, synonyms: SynonymList, prefix: boolean): Alternative[] => [
  { words: key.split(' '), prefix },
  ...(synonyms[key] ?? []).map((phrase) => ({ words: phrase.split(' '), prefix: false })),
];

/**
 * The word groups of `query` in `language`: single letters dropped (`l'`, `d'`, `s`), a
 * two-word expression with synonyms (`log in`) taken as one group, repeated words once.
 */
export const searchTerms = (query: string, language: ArticleLanguage): TermGroup[] => {
  const synonyms = SEARCH_SYNONYMS[language];
  const folded = foldText(query);
  const words = (folded.match(/[a-z0-9]+/g) ?? []).filter((w) => w.length > 1).slice(0, MAX_QUERY_WORDS);
  // a text that ends inside a word: that word may be unfinished
  const partial = /[a-z0-9]$/.test(folded) && words.length > 0 && folded.endsWith(words[words.length - 1]);
  const groups = new Map<string, TermGroup>();
  for (let i = 0; i < words.length; i++) {
    const pair = i + 1 < words.length ? `${words[i]} ${words[i + 1]}` : undefined;
    const key = pair !== undefined && synonyms[pair] ? pair : words[i];
    if (key === pair) i++;
    const prefix = i === words.length - 1 && partial && words[i].length >= 3;
    const group = alternativesOf(key, synonyms, prefix);
    groups.set(group.map(renderAlternative).join('|'), group);
  }
  return [...groups.values()];
};

const renderAlternative = (a: Alternative): string => {
  const words = a.words.map((w, i) => (a.prefix && i === a.words.length - 1 ? `${w}:*` : w));
  return words.length === 1 ? words[0] : `(${words.join(' & ')})`;
};

/**
 * The tsquery text of the groups, or null for none: an OR of the groups (`all`: an AND),
 * each an OR of its alternatives.
 */
export const tsqueryText = (groups: readonly TermGroup[], all = false): string | null => {
  const rendered = [
    ...new Set(
      groups
        .filter((g) => g.length > 0)
        .map((g) => (g.length === 1 ? renderAlternative(g[0]) : `(${g.map(renderAlternative).join(' | ')})`)),
    ),
  ];
  return rendered.length === 0 ? null : rendered.join(all ? ' & ' : ' | ');
};

/** The tsquery text of `query` in `language`, every word kept, or null when it holds no word. */
export const searchQueryText = (query: string, language: ArticleLanguage): string | null =>
  tsqueryText(searchTerms(query, language));

/**
 * How many published articles of the language a word matches (its document frequency), as
 * the read model counts them: the word's lexeme, or every lexeme it is a prefix of (an upper
 * bound); 0 for a word that matches none, `undefined` for a stop word (no lexeme at all).
 */
export type DocumentFrequency = (word: string, prefix: boolean) => number | undefined;

/** A word in more than this share of the articles does not tell them apart… */
export const COMMON_WORD_SHARE = 0.1;
/** …but a word in this many articles or fewer always does (a small help centre). */
export const MIN_COMMON_DOCUMENTS = 8;
/** When every word of a query is common, the articles searched for must hold this many of the rarest. */
export const CONJUNCTIVE_GROUPS = 3;

/** How to search: the articles matching `match`, ranked on `rank`. */
export interface SearchPlan {
  /** the groups an article must match: one of them, or every one when `all` */
  readonly match: readonly TermGroup[];
  readonly all: boolean;
  /** every group some article holds, distinctive or common: what ranks the matches */
  readonly rank: readonly TermGroup[];
}

/**
 * Which articles to rank, and on what. Words such as `user`, `admin` or `console` are in
 * most articles of an identity product's help centre: an article holding one of them is no
 * likelier to answer than another, and matching on them would make the database rank
 * thousands of rows. So an article is a match when it holds one of the query's distinctive
 * alternatives (in at most {@link COMMON_WORD_SHARE} of the `documents` published articles,
 * or {@link MIN_COMMON_DOCUMENTS}); the common ones only add to the rank of the matches (a
 * corpus-specific stop list for matching, a binary inverse document frequency). When no
 * word of the query is distinctive, a match must hold all of its {@link CONJUNCTIVE_GROUPS}
 * rarest groups: a query of common words still finds the articles that combine them.
 * Alternatives that match no article are dropped. Null when nothing matches at all.
 */
export const planSearch = (
  groups: readonly TermGroup[],
  frequency: DocumentFrequency,
  documents: number,
): SearchPlan | null => {
  const limit = Math.max(MIN_COMMON_DOCUMENTS, COMMON_WORD_SHARE * documents);
  // an alternative's frequency: its rarest word's (all must match); stop words do not count
  const of = (a: Alternative): number => {
    const counts = a.words
      .map((w, i) => frequency(w, a.prefix && i === a.words.length - 1))
      .filter((n): n is number => n !== undefined);
    return counts.length === 0 ? 0 : Math.min(...counts);
  };
  const found = groups.map((g) => g.map((a) => ({ a, n: of(a) })).filter(({ n }) => n > 0)).filter((g) => g.length > 0);
  if (found.length === 0) return null;
  const rank = found.map((g) => g.map(({ a }) => a));
  const distinctive = found.map((g) => g.filter(({ n }) => n <= limit).map(({ a }) => a)).filter((g) => g.length > 0);
  if (distinctive.length > 0) return { match: distinctive, all: false, rank };
  const rarest = [...found]
    .sort((x, y) => Math.min(...x.map(({ n }) => n)) - Math.min(...y.map(({ n }) => n)))
    .slice(0, CONJUNCTIVE_GROUPS)
    .map((g) => g.map(({ a }) => a));
  return { match: rarest, all: rarest.length > 1, rank };
};
