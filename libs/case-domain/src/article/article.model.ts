import type { Actor } from '../shared/decider';
import { InvalidCommand } from '../shared/domain-rule-violation';
import { requireBoolean, requireOneOf, requireText } from '../shared/validation';

/**
 * Help-centre articles (R5: what the help assistant suggests before a case is opened), one
 * aggregate per article, stream `article-<id>`. A translation is another article (its own
 * id and stream), so that each language's text has its own history.
 *
 * Each revision is an event that carries the whole article and its revision number
 * (`version`: 1, 2, …): an article as a customer was shown it can be read back from that one
 * event, whatever came after.
 */
export const ARTICLE_STREAM_CATEGORY = 'article';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
const IDENT = /^[a-z0-9][a-z0-9._:-]{0,99}$/;

export const toArticleStreamId = (articleId: string): string => {
  if (typeof articleId !== 'string' || !SLUG.test(articleId))
    throw new InvalidCommand('id', 'must be an article id: lower-case letters, digits and inner hyphens');
  return `${ARTICLE_STREAM_CATEGORY}-${articleId}`;
};

/** The article id inside `article-<id>`, or null for a stream of another category. */
export const articleIdFromStreamId = (stream: string): string | null =>
  stream.startsWith(`${ARTICLE_STREAM_CATEGORY}-`) && stream.length > ARTICLE_STREAM_CATEGORY.length + 1
    ? stream.slice(ARTICLE_STREAM_CATEGORY.length + 1)
    : null;

export const ARTICLE_LANGUAGES = ['fr', 'en'] as const;
export type ArticleLanguage = (typeof ARTICLE_LANGUAGES)[number];

export const MAX_ARTICLE_TITLE = 200;
export const MAX_ARTICLE_BODY = 20_000;

export interface Article {
  /** a slug, e.g. `sso-saml-errors-en` */
  readonly id: string;
  readonly language: ArticleLanguage;
  /** one line */
  readonly title: string;
  /** Markdown */
  readonly body: string;
  /** lower-case product ids, e.g. `cloud-identity-premium`; at least one */
  readonly products: readonly string[];
  /** lower-case ids such as `sso`, `passwords`, `billing`; may be empty */
  readonly problemCategories: readonly string[];
  /** false: the article is kept, but the help assistant does not show it */
  readonly published: boolean;
}

/** An article as one revision left it: `version` 1 for the creation, then 2, 3, … */
export interface ArticleRevision extends Article {
  readonly version: number;
}

/** The raw values of an article, as a request or a file gives them (checked by {@link parseArticle}). */
export type ArticleInput = { readonly [K in keyof Article]?: unknown };

// ── commands ───────────────────────────────────────────────────────────────
export interface CreateArticle {
  readonly type: 'CreateArticle';
  readonly article: ArticleInput;
  readonly actor: Actor;
}

/** Replaces the whole article by what is given (a revision is never a patch). */
export interface ReviseArticle {
  readonly type: 'ReviseArticle';
  readonly article: ArticleInput;
  readonly actor: Actor;
}

export type ArticleCommand = CreateArticle | ReviseArticle;

// ── events ─────────────────────────────────────────────────────────────────
export const ARTICLE_EVENT_SCHEMA_VERSIONS = { ArticleCreated: 1, ArticleRevised: 1 } as const;
export type ArticleEventType = keyof typeof ARTICLE_EVENT_SCHEMA_VERSIONS;
export const ARTICLE_EVENT_TYPES = Object.keys(ARTICLE_EVENT_SCHEMA_VERSIONS) as ArticleEventType[];

/** The whole article as this revision left it, who wrote it and when. */
export type ArticleEventData = ArticleRevision & { readonly at: string; readonly byId: string };

export type ArticleEvent =
  | { readonly type: 'ArticleCreated'; readonly schemaVersion: 1; readonly data: ArticleEventData }
  | { readonly type: 'ArticleRevised'; readonly schemaVersion: 1; readonly data: ArticleEventData };

// ── state ──────────────────────────────────────────────────────────────────
export interface ArticleState {
  /** the latest revision, null until the article is created */
  readonly article: ArticleRevision | null;
  /** the stream's version */
  readonly version: number;
}

export const initialArticleState: ArticleState = Object.freeze({ article: null, version: 0 });

// ── values ─────────────────────────────────────────────────────────────────
const idList = (field: string, value: unknown, atLeastOne: boolean): string[] => {
  if (!Array.isArray(value) || (atLeastOne && value.length === 0))
    throw new InvalidCommand(field, atLeastOne ? 'must be a non-empty list of ids' : 'must be a list of ids');
  const items = value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v));
  const bad = items.find((v) => typeof v !== 'string' || !IDENT.test(v));
  if (bad !== undefined)
    throw new InvalidCommand(field, `must hold only lower-case ids (${JSON.stringify(bad)} is not)`);
  return [...new Set(items as string[])];
};

/**
 * Checks an article's values and normalises them: id and lists lower-cased and trimmed,
 * duplicates dropped (order kept), title trimmed to one line, body trimmed with its line
 * ends made `\n`.
 */
export const parseArticle = (raw: ArticleInput): Article => {
  const id = typeof raw.id === 'string' ? raw.id.trim().toLowerCase() : raw.id;
  if (typeof id !== 'string' || !SLUG.test(id))
    throw new InvalidCommand('id', 'must be an article id: lower-case letters, digits and inner hyphens');
  const language = requireOneOf('language', raw.language, ARTICLE_LANGUAGES);
  const title = requireText('title', raw.title).trim();
  if (title.length > MAX_ARTICLE_TITLE || /[\r\n]/.test(title))
    throw new InvalidCommand('title', `must be one line of at most ${MAX_ARTICLE_TITLE} characters`);
  const body = requireText('body', raw.body).replace(/\r\n?/g, '\n').trim();
  if (body.length > MAX_ARTICLE_BODY)
    throw new InvalidCommand('body', `must be at most ${MAX_ARTICLE_BODY} characters`);
  return {
    id,
    language,
    title,
    body,
    products: idList('products', raw.products, true),
    problemCategories: idList('problemCategories', raw.problemCategories, false),
    published: requireBoolean('published', raw.published),
  };
};

export const sameArticle = (a: Article, b: Article): boolean =>
  a.id === b.id &&
  a.language === b.language &&
  a.title === b.title &&
  a.body === b.body &&
  a.published === b.published &&
  a.products.join() === b.products.join() &&
  a.problemCategories.join() === b.problemCategories.join();

/** The article part of a revision's event (without who and when). */
export const revisionOf = (data: ArticleEventData): ArticleRevision => {
  const { id, language, title, body, products, problemCategories, published, version } = data;
  return { id, language, title, body, products, problemCategories, published, version };
};
