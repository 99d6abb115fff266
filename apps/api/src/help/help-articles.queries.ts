import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ACCESS_POLICY, type AccessPolicy, type Principal } from '@app/auth';
import {
  ArticleNotFound,
  articleAtRevision,
  articleDecider,
  foldEvents,
  toArticleStreamId,
  type ArticleEvent,
  type ArticleLanguage,
  type ArticleRevision,
} from '@app/case-domain';
import { EVENT_STORE, SQL_DATABASE, type EventStore, type SqlDatabase } from '@app/event-store';
import { PROJECTIONS, type ProjectionRegistry } from '@app/projections';
import { helpArticlesProjection, searchHelpArticles } from '@app/read-models';
import { HttpEdgeError } from '../http/http.errors';
import { caughtUpWith } from '../read-models/read-your-writes';
import { DEFAULT_HELP_SEARCH_LIMIT, type HelpSearchQuery } from './help-articles.dto';

export const helpArticleUrl = (articleId: string) => `/v1/help/articles/${articleId}`;

/** An article as the API shows it: the revision, and when it was written. */
export type ArticleView = ArticleRevision & { readonly revisedAt: string };

export interface HelpSearchHitView {
  readonly articleId: string;
  readonly title: string;
  readonly url: string;
  readonly score: number;
  readonly language: ArticleLanguage;
  readonly version: number;
}

export interface HelpSearchView {
  readonly items: HelpSearchHitView[];
  readonly caughtUp: boolean;
}

/** `?version=N` of an article that has no revision N (or one the caller may not read). */
export class ArticleRevisionNotFound extends HttpEdgeError {
  readonly status = 404;
  readonly code = 'ARTICLE.NOT_FOUND';
  constructor(articleId: string, version: number) {
    super(`Article ${articleId} has no revision ${version}.`);
  }
}

/** The published articles that best answer a search (GET /v1/help/articles), from the help-articles read model. */
export class SearchHelpArticles extends Query<HelpSearchView> {
  constructor(readonly search: HelpSearchQuery) {
    super();
  }
}

/** One article as it stands, or as revision `version` left it (GET /v1/help/articles/{id}), from its stream. */
export class GetHelpArticle extends Query<{ article: ArticleView; streamVersion: number }> {
  constructor(
    readonly articleId: string,
    readonly principal: Principal,
    readonly version?: number,
  ) {
    super();
  }
}

/** The rank as shown: six significant digits are plenty to order and compare. */
const shownScore = (score: number) => Number(score.toPrecision(6));

@QueryHandler(SearchHelpArticles)
export class SearchHelpArticlesHandler implements IQueryHandler<SearchHelpArticles, HelpSearchView> {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRegistry,
  ) {}

  async execute({ search }: SearchHelpArticles): Promise<HelpSearchView> {
    const caughtUp = await caughtUpWith(this.projections, helpArticlesProjection.name, search.after);
    const hits = await searchHelpArticles(this.db, {
      query: search.q,
      language: search.language as ArticleLanguage,
      ...(search.product ? { product: search.product } : {}),
      limit: search.limit ?? DEFAULT_HELP_SEARCH_LIMIT,
    });
    return {
      items: hits.map((h) => ({
        articleId: h.articleId,
        title: h.title,
        url: helpArticleUrl(h.articleId),
        score: shownScore(h.score),
        language: h.language,
        version: h.version,
      })),
      caughtUp,
    };
  }
}

const isRevision = (e: ArticleEvent) => e.type === 'ArticleCreated' || e.type === 'ArticleRevised';

/**
 * Articles are read from their stream (one short stream each, always current), not from the
 * search's read model: an editor reads what they just wrote, and `?version=` what a
 * customer was shown. An unpublished article (or revision) is a 404 to all but supervisors.
 */
@QueryHandler(GetHelpArticle)
export class GetHelpArticleHandler implements IQueryHandler<GetHelpArticle> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_POLICY) private readonly policy: AccessPolicy,
  ) {}

  async execute({ articleId, principal, version }: GetHelpArticle) {
    // the editors (`help.manage`: supervisors) read unpublished articles; to anyone else they do not exist
    const readsUnpublished = this.policy.refusal(principal, 'help.manage') === null;
    const { events: recorded } = await this.store.readStream(toArticleStreamId(articleId));
    const events = (recorded as unknown as ArticleEvent[]).filter(isRevision);
    const state = foldEvents(articleDecider, recorded as unknown as ArticleEvent[]);
    if (state.article === null || (!state.article.published && !readsUnpublished)) throw new ArticleNotFound(articleId);
    const wanted = version ?? state.article.version;
    const revision = articleAtRevision(events, wanted);
    // a revision that was itself unpublished was never shown to a customer
    if (revision === null || (!revision.published && !readsUnpublished))
      throw new ArticleRevisionNotFound(articleId, wanted);
    const revisedAt = events.find((e) => e.data.version === wanted)?.data.at as string;
    return { article: { ...revision, revisedAt }, streamVersion: state.version };
  }
}
