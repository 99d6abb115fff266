import { foldText } from '@app/read-models';

/** R6: how far back "recent" reaches: cases opened or updated in the last 14 days. */
export const RECENT_CASE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
/** how many recent cases the assistant offers at most */
export const RECENT_CASES_OFFERED = 5;

export interface RecentCaseCandidate {
  readonly id: string;
  readonly subject: string;
  readonly status: string;
  readonly openedAt: string;
  readonly updatedAt: string;
}

/** Words shorter than three letters, and these, say nothing about which problem it is. */
const STOP_WORDS = new Set(
  (
    'the and for with not are but can our you your was has have this that from when what how ' +
    'les des une est pas par pour avec dans sur que qui nos vos aux ont sont plus mais elle ils'
  ).split(' '),
);

const words = (text: string): Set<string> =>
  new Set(
    foldText(text)
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 3 && !STOP_WORDS.has(w)),
  );

/**
 * How alike a case's subject is to the problem the admin describes: the share of the
 * subject's words found in the description (accents and case folded), 0 to 1.
 */
export const similarity = (description: string, subject: string): number => {
  const said = words(description);
  const subjectWords = [...words(subject)];
  if (subjectWords.length === 0) return 0;
  return subjectWords.filter((w) => said.has(w)).length / subjectWords.length;
};

/**
 * R6: the recent cases to offer, most similar to the description first, then the most
 * recently updated; at most {@link RECENT_CASES_OFFERED}.
 */
export const rankRecentCases = (
  description: string,
  candidates: readonly RecentCaseCandidate[],
  limit = RECENT_CASES_OFFERED,
): RecentCaseCandidate[] =>
  candidates
    .map((c) => ({ c, score: similarity(description, c.subject) }))
    .sort((a, b) => b.score - a.score || b.c.updatedAt.localeCompare(a.c.updatedAt) || a.c.id.localeCompare(b.c.id))
    .slice(0, limit)
    .map(({ c }) => c);
