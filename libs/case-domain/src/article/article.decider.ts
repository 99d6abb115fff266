import type { Decider } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { isoInstant } from '../shared/validation';
import { ArticleAlreadyExists, ArticleLanguageChanged, ArticleNotFound } from './article.errors';
import {
  initialArticleState,
  parseArticle,
  revisionOf,
  sameArticle,
  type Article,
  type ArticleCommand,
  type ArticleEvent,
  type ArticleState,
} from './article.model';

const revision = (type: ArticleEvent['type'], article: Article, version: number, at: string, byId: string) =>
  ({ type, schemaVersion: 1, data: { ...article, version, at, byId } }) as ArticleEvent;

/**
 * Creating: `ArticleCreated` (revision 1); the same contents again do nothing (seeding twice
 * is safe), other contents are refused. Revising: `ArticleRevised` with the next revision
 * number and the whole article; the same contents do nothing; an article never created, or
 * a change of language, is refused.
 */
export const decideArticle = (state: ArticleState, command: ArticleCommand, now: Date): ArticleEvent[] => {
  const at = isoInstant('now', now);
  const article = parseArticle(command.article);
  const current = state.article;
  if (current !== null && current.id !== article.id) throw new InvalidCommand('id', 'must name the stream’s article');
  switch (command.type) {
    case 'CreateArticle':
      if (current === null) return [revision('ArticleCreated', article, 1, at, command.actor.id)];
      if (sameArticle(current, article)) return [];
      throw new ArticleAlreadyExists(article.id, current.version);
    case 'ReviseArticle':
      if (current === null) throw new ArticleNotFound(article.id);
      if (current.language !== article.language)
        throw new ArticleLanguageChanged(article.id, current.language, article.language);
      if (sameArticle(current, article)) return [];
      return [revision('ArticleRevised', article, current.version + 1, at, command.actor.id)];
  }
};

/** Total: an unknown event (a newer release's) only bumps the version. */
export const evolveArticle = (state: ArticleState, e: ArticleEvent): ArticleState => {
  const version = state.version + 1;
  if (e.type !== 'ArticleCreated' && e.type !== 'ArticleRevised') return { ...state, version };
  return { article: revisionOf(e.data), version };
};

export const articleDecider: Decider<ArticleState, ArticleCommand, ArticleEvent> = {
  decide: decideArticle,
  evolve: evolveArticle,
  initialState: initialArticleState,
};

/**
 * The article as revision `version` left it, from its stream's events (in order), or null
 * when the stream has no such revision: what a customer was shown, whatever came after.
 */
export const articleAtRevision = (events: readonly ArticleEvent[], version: number) => {
  const found = events.find(
    (e) => (e.type === 'ArticleCreated' || e.type === 'ArticleRevised') && e.data.version === version,
  );
  return found ? revisionOf(found.data) : null;
};
